import { mark } from '../base/marks.ts';
import type { NodeId } from '../cluster/ids.ts';
import type { AnalysisInput, KnownFailure } from './analysis-input.ts';
import { type FailureFactory, kindsOf, type MakeFailure, pct } from './failure-factory.ts';
import { FLAPPING } from './flapping.ts';
import { type DetectedFailure, isCutOff, type Symptom } from './types.ts';

/** Memory use at the last scrape above which a node that goes silent is taken to have run out of memory. */
const OOM_EVIDENCE = 0.9;

/** What the silent and unreachable nodes come to. */
export interface SilenceDiagnosis {
  readonly failures: readonly DetectedFailure[];
  /** Nodes seen going down since the last analysis (a new silence), with when they fell silent. */
  readonly wentDown: readonly { readonly node: NodeId; readonly atMs: number }[];
  readonly silentNodes: ReadonlySet<NodeId>;
  /** Silent nodes left for a later cycle, until the cloud API has caught up with them. */
  readonly deferred: readonly NodeId[];
  /** When the cloud API's answer will cover the deferred nodes' silence. */
  readonly recheckAtMs: number | undefined;
}

/**
 * Silent nodes: crashed, or cut off by a partition. The silent nodes whose machines still run (the cloud API
 * says so, or a peer still reaches them) are explained by one partition, not many crashes; a silent node
 * whose machine stopped crashed (out of memory when its memory was nearly full); one rebooting by itself
 * crashed too. Records each new silence in `streaks` (keyed `down:<node>`, by when it began).
 */
export const diagnoseSilences = (
  input: AnalysisInput,
  { make, explained }: FailureFactory,
  streaks: Map<string, number>,
): SilenceDiagnosis => {
  const { sample } = input;
  // The cloud API was asked when the sample was taken.
  const observedAt = sample.state.observedAtMs;
  const failures: DetectedFailure[] = [];
  const partitioned: NodeId[] = [];
  const waiting: Extract<Symptom, { kind: 'heartbeat-silence' }>[] = [];
  const wentDown: { node: NodeId; atMs: number }[] = [];
  const silentNodes = new Set<NodeId>();
  for (const s of sample.symptoms) {
    if (s.kind !== 'heartbeat-silence') continue;
    silentNodes.add(s.node);
    // A silence is new when it began at another instant than the one seen last time: one failure each.
    const fresh = input.streaks.get(`down:${s.node}`) !== s.silentSinceMs;
    streaks.set(`down:${s.node}`, s.silentSinceMs);
    if (fresh) wentDown.push({ node: s.node, atMs: s.silentSinceMs });
    const h = input.history?.(s.node);
    if (h?.quarantined === true) {
      // Kept out for flapping: nothing runs there, and its going down again only restarts its quiet time.
      explained.add(s.node);
      continue;
    }
    const strikes = (h?.recentFailures ?? 0) + (fresh ? 1 : 0);
    const flapping = h !== undefined && strikes >= FLAPPING.threshold;
    const flaps = `${strikes} failures in ${FLAPPING.windowMs / 60_000} min: flapping`;
    if (s.host === 'starting') {
      // A power cycle the loop ordered (or, without history, anyone's): silence is expected until it boots.
      if (h === undefined || h.rebootedByLoop) {
        explained.add(s.node);
        continue;
      }
      // Nobody here ordered it: the machine crashed and is rebooting by itself, its replicas down meanwhile.
      // Each such crash is a failure of its own (keyed by when the silence began): the next one is not the
      // last one still in hand.
      failures.push(
        selfReboot(
          s.silentSinceMs,
          make(
            'NodeCrash',
            s.node,
            [s.node],
            flapping ? 'flapping' : 'self-reboot',
            `${s.node} went down and is rebooting by itself (the cloud API says starting; the loop ordered no power cycle)${flapping ? `; ${flaps}` : ''}`,
            ['heartbeat-silence'],
          ),
        ),
      );
      continue;
    }
    if (s.host === 'stopped') {
      const oom = s.lastMemory >= OOM_EVIDENCE;
      const down = make(
        oom ? 'ResourceExhaustion' : 'NodeCrash',
        s.node,
        [s.node],
        flapping ? 'flapping' : oom ? 'oom-crash' : 'crash',
        (oom
          ? `${s.node} went down out of memory (last seen at ${pct(s.lastMemory)}; the cloud API says stopped)`
          : `${s.node} is down: ${s.missed} heartbeats missed and the cloud API says stopped`) +
          (flapping ? `; ${flaps}` : ''),
        ['heartbeat-silence'],
      );
      failures.push(flapping ? selfReboot(s.silentSinceMs, down) : down);
    } else if (s.peerSees || s.missed >= input.missedHeartbeats || observedAt >= s.hostFreshAtMs) {
      // A peer reaches it, or the cloud API's `running` is recent enough that a stop would show: cut off.
      partitioned.push(s.node);
    } else {
      waiting.push(s);
    }
  }
  // Nodes that fell silent together with a node known to be cut off are cut off by the same partition: a
  // crash landing within the same heartbeat interval is far less likely, and would show as stopped next cycle.
  // Only nodes cut off on their own evidence anchor this: no chain of nodes each a second after the last.
  let recheckAtMs: number | undefined;
  const deferred: NodeId[] = [];
  const anchors = new Set(partitioned);
  for (const s of waiting) {
    const together = sample.symptoms.some(
      (o) =>
        o.kind === 'heartbeat-silence' &&
        anchors.has(o.node) &&
        Math.abs(o.silentSinceMs - s.silentSinceMs) < input.heartbeatIntervalMs,
    );
    if (together) {
      partitioned.push(s.node);
      continue;
    }
    // Silent for less than k heartbeats and no peer reaches it: the cloud API may not have caught up yet.
    mark('analysis.deferred-for-cloud-api');
    deferred.push(s.node);
    explained.add(s.node);
    recheckAtMs = Math.min(recheckAtMs ?? Number.POSITIVE_INFINITY, s.hostFreshAtMs);
  }
  // Nodes that still send heartbeats but cannot be reached are cut off one way: a partition all the same.
  for (const s of sample.symptoms) {
    if (s.kind !== 'node-unreachable') continue;
    if (input.history?.(s.node).quarantined === true) explained.add(s.node);
    else partitioned.push(s.node);
  }
  failures.push(...partitionFailures(partitioned, input.known, sample.symptoms, make));
  return { failures, wentDown, silentNodes, deferred, recheckAtMs };
};

/**
 * A crash the node reboots from by itself, or a flapping node: keyed by when its silence began, so each
 * crash is a failure of its own and the flapping one is not the crash before it still in hand.
 */
const selfReboot = (silentSinceMs: number, f: DetectedFailure): DetectedFailure => ({
  ...f,
  key: `${f.cause === 'flapping' ? 'Flapping' : f.type}:${f.component}@${silentSinceMs}`,
});

/**
 * One failure per partition: silent nodes a known partition already covers stay with it (its key does not
 * change as the picture fills in); the rest are one new partition.
 */
const partitionFailures = (
  nodes: readonly NodeId[],
  known: readonly KnownFailure[],
  symptoms: readonly Symptom[],
  make: MakeFailure,
): DetectedFailure[] => {
  if (nodes.length === 0) return [];
  const out: DetectedFailure[] = [];
  const groups = new Map<string, { component: string; nodes: NodeId[] }>();
  const fresh: NodeId[] = [];
  for (const n of nodes) {
    const k = known.find((f) => f.type === 'NetworkPartition' && f.nodes.includes(n));
    if (k === undefined) {
      fresh.push(n);
      continue;
    }
    const g = groups.get(k.key) ?? { component: k.component, nodes: [] };
    g.nodes.push(n);
    groups.set(k.key, g);
  }
  if (fresh.length > 0) groups.set('', { component: fresh[0] as string, nodes: fresh });
  for (const g of groups.values()) {
    const mine = symptoms.filter((s) => isCutOff(s) && g.nodes.includes(s.node));
    const seen = mine.some((s) => s.kind === 'heartbeat-silence' && s.peerSees);
    const deaf = mine.some((s) => s.kind === 'node-unreachable');
    const silent = mine.some((s) => s.kind === 'heartbeat-silence');
    const how = deaf
      ? silent
        ? 'some silent, some still sending heartbeats that nothing can answer'
        : 'heartbeats still arrive, but scrapes and pings do not get through: one way only'
      : `heartbeats stopped; ${seen ? 'peers still reach them' : 'the cloud API says their machines run'}`;
    out.push(
      make(
        'NetworkPartition',
        g.component,
        g.nodes,
        'partition',
        `network partition: ${g.nodes.join(', ')} cut off from the control plane (${how})`,
        kindsOf(mine),
      ),
    );
  }
  return out;
};
