import type { NodeId } from '../../cluster/ids.ts';
import type { Controller } from '../../world/controller.ts';
import { Inventory, trackPlacements } from '../inventory.ts';
import { answerDependencyFailure } from './dependency.ts';
import { Fence } from './fence.ts';
import { answerLoadSpike } from './load-spike.ts';
import type { OracleOps } from './oracle-ops.ts';
import { ORACLE_PLANS } from './plans.ts';
import { PrimaryHomes } from './primary-homes.ts';
import { answerProcessFault, isProcessKind } from './process-faults.ts';
import { rebalanceOnto } from './rebalance.ts';
import { retryTransient } from './retry-transient.ts';
import { waitsOut } from './wait-out.ts';

/**
 * The bound, not a policy: it reads the ground truth the instant a fault lands, reports it detected at once
 * (MTTD 0) and starts the best action for its kind on every target node (`ORACLE_PLANS`), retrying an action
 * that fails transiently at once, unless the fault ends by itself no later than that action would have the
 * service back (`waitsOut`, from the fault's duration and the model's timings). A node reopened after its fault
 * gets back the replicas its evacuation spread over the others (`rebalanceOnto`). It never places work on a node ground truth knows to be faulty (`Fence`).
 * Its MTTR is the least the model's action durations and the load balancer's lag allow.
 */
export const oracleController = (): Controller => {
  return {
    name: 'oracle',
    readsGroundTruth: true,
    start: (ctx, groundTruth) => {
      if (groundTruth === undefined) {
        // Attached to a world that withholds ground truth: the oracle is blind and does nothing, visibly.
        ctx.trace({ t: ctx.kernel.nowMs, kind: 'oracle.blind', source: 'oracle' });
        return;
      }
      const inventory = new Inventory(ctx.sensors);
      // Every attempt refreshes the inventory (a failed start removes its replica), so retry outside it.
      const effectors = retryTransient(trackPlacements(ctx.effectors, () => inventory.refresh()));
      const reopened = (node: NodeId) => rebalanceOnto(ops, node);
      const fence = new Fence(ctx, effectors, inventory, reopened);
      const ops: OracleOps = {
        ctx,
        inventory,
        effectors,
        fence,
        rebooting: new Set(),
        homes: new PrimaryHomes(ctx, inventory, effectors, fence, () => groundTruth.upcoming()),
      };
      groundTruth.onInjected((record) => {
        // A fault inside processes leaves its nodes healthy: no fence, an answer per replica.
        if (isProcessKind(record.kind)) {
          answerProcessFault(ops, record);
          return;
        }
        ops.fence.landed(record);
        // A load spike hits services, not nodes: it has no target to loop over.
        if (record.kind === 'load-spike') answerLoadSpike(ops, record);
        // A dependency failure hits a call edge, not nodes: opened at once where there is a fallback.
        if (record.kind === 'dependency-failure') answerDependencyFailure(ops, record);
        for (const node of record.targets) {
          ctx.reportDetection({ component: node, diagnosis: record.kind });
          if (waitsOut({ record, reachable: ctx.sensors.ping(node) }, groundTruth.timings)) {
            ctx.trace({
              t: ctx.kernel.nowMs,
              kind: 'oracle.waits-out',
              source: 'oracle',
              fault: record.id,
              node,
            });
          } else ORACLE_PLANS[record.kind](ops, record, node);
        }
      });
    },
    // Event-driven: no cycles.
    summary: () => ({ cycles: 0 }),
  };
};
