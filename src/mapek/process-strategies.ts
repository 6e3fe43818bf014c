import type { ActionRequest } from '../cluster/actions.ts';
import type { ServiceId } from '../cluster/ids.ts';
import type { Strategy } from './strategy.ts';
import type { Topology } from './types.ts';

const one = (requests: readonly ActionRequest[]) => (requests.length === 0 ? null : { stages: [requests] });

const isPrimary = (topology: Topology, service: ServiceId, replica: string) =>
  topology.primaries.get(service) === replica;

/**
 * The process faults' rows of the planner's catalog (src/mapek/strategy-catalog.ts). A version gone bad is
 * rolled back; a hung replica is restarted in place (a restart clears a hang); a replica that exits on an error
 * on the version it always ran is replaced by a fresh one elsewhere (as fast as a restart in place, and a cure
 * where a restart would not be: a crash-loop); a leaking one is replaced make-before-break before the OOM killer ends it (a rolling
 * restart: the fresh process starts from its start-up working set, and the old one serves until it is admitted). Priors: a restart is a container start (8 s)
 * and a health check or two; a rollback one start per batch; a replacement a start and the balancer's admission.
 */
export const PROCESS_STRATEGIES: readonly Strategy[] = [
  {
    id: 'rollback',
    type: 'Reconfigure',
    summary: "roll the service's replicas on the new version back to the previous one (a rolling update)",
    causes: ['bad-deploy', 'crash-loop'],
    escalationFor: [],
    prior: { successRate: 0.95, recoveryMs: 20_000, risk: 0.1 },
    expand: ({ failure }) =>
      failure.process?.newVersion === true
        ? one(failure.services.map((service) => ({ kind: 'rollback', service }) as const))
        : null,
  },
  {
    id: 'restart-in-place',
    type: 'Restart',
    summary: "restart the replica in place: clears a hung process and a leak's memory, not a bad build",
    causes: ['hang'],
    // The fallback where no replacement can be placed (a primary, a full cluster): a leaking replica restarted
    // in place is lost for the restart, and a crashed one may crash again.
    escalationFor: ['process-leak', 'crash-loop'],
    prior: { successRate: 0.9, recoveryMs: 18_000, risk: 0.05 },
    expand: ({ failure }) => {
      const p = failure.process;
      // A version's fault is the rollback's; a crash that a restart already failed to cure is the replacement's.
      if (p === undefined || p.newVersion || (failure.cause === 'crash-loop' && p.restarts > 0)) return null;
      return one(p.replicas.map((replica) => ({ kind: 'restart-replica', replica }) as const));
    },
  },
  {
    id: 'replace-replica',
    type: 'Failover',
    summary:
      'replace the replica with a fresh one on another node: a crash-loop a restart did not cure; a leaking replica make-before-break, before its OOM kill (a rolling restart)',
    causes: ['crash-loop', 'process-leak'],
    escalationFor: ['hang'],
    prior: { successRate: 0.85, recoveryMs: 25_000, risk: 0.1 },
    expand: ({ failure, topology }) => {
      const p = failure.process;
      if (p === undefined || p.newVersion) return null;
      const [service] = failure.services;
      if (service === undefined) return null;
      // A leaking replica still serves: it keeps serving until its replacement is admitted.
      const surge = failure.cause === 'process-leak';
      const moves = p.replicas.map(
        (replica) => ({ kind: 'move-replica', replica, ...(surge ? { surge } : {}) }) as const,
      );
      // A primary is promoted away first (its node is healthy: only that node is avoided), then replaced.
      const primary = p.replicas.find((r) => isPrimary(topology, service, r));
      if (primary === undefined) return one(moves);
      const node = topology.placements.find((x) => x.replica === primary)?.node;
      const candidate = topology.placements.some(
        (x) =>
          x.service === service &&
          x.replica !== primary &&
          !x.starting &&
          x.role !== 'none' &&
          x.node !== node,
      );
      if (!candidate || node === undefined) return null;
      return {
        stages: [[{ kind: 'promote-replica', service, avoidNodes: [node] } as const], moves],
      };
    },
  },
];
