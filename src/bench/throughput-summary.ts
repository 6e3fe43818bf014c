import type { CommandFigures } from './command-summary.ts';
import type { ThroughputResult } from './throughput.ts';
import type { WorldBuild } from './world-build.ts';

/**
 * A throughput case over its repeats: the median run's figures (by wall time), with every repeat's wall
 * time and the worst peak memory.
 */
export interface ThroughputSummary extends ThroughputResult {
  readonly repeats: number;
  /** Every repeat's wall time, in run order: how noisy the machine was. */
  readonly wallMsAll: readonly number[];
}

/** How wall time grows between two cases that differ in one dimension. */
export interface Growth {
  readonly policy: string;
  readonly dimension: 'nodes' | 'hours';
  readonly from: number;
  readonly to: number;
  /** Held fixed: hours when nodes grow, nodes when hours grow. */
  readonly at: number;
  /** Wall time ratio, and the exponent k in wall ∝ size^k (1: linear). */
  readonly wallRatio: number;
  readonly exponent: number;
}

/** The loop's cost against the world with no controller, and with the oracle (which keeps it whole too). */
export interface LoopOverhead {
  readonly nodes: number;
  readonly hours: number;
  readonly mapekMs: number;
  readonly noopMs: number;
  readonly ratio: number;
  /** The same ratio on CPU time (every thread of each process). */
  readonly cpuRatio: number;
  readonly oracleMs: number | null;
  readonly ratioToOracle: number | null;
}

/** Everything the throughput section reports. */
export interface ThroughputReport {
  readonly cases: readonly ThroughputSummary[];
  readonly growth: readonly Growth[];
  readonly loopOverhead: readonly LoopOverhead[];
  /** Whole `mapek` commands, cold: the bundled 24 h scenario and a sweep of it on 1 and 2 workers. */
  readonly commands?: CommandFigures;
  /** The 10,000-node throughput world built in a cold process (issue 17's world-build target). */
  readonly worldBuild?: WorldBuild;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Folds the repeats of one case into its summary (the median by wall time). */
export const summarizeCase = (runs: readonly ThroughputResult[]): ThroughputSummary => {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const median = sorted[(sorted.length - 1) >> 1];
  if (median === undefined) throw new Error('a throughput case with no run');
  return {
    nodes: median.nodes,
    hours: median.hours,
    policy: median.policy,
    repeats: runs.length,
    wallMs: median.wallMs,
    wallMsAll: runs.map((r) => r.wallMs),
    cpuMs: median.cpuMs,
    speedup: median.speedup,
    events: median.events,
    eventsPerSecond: median.eventsPerSecond,
    faults: median.faults,
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
  };
};

const find = (cases: readonly ThroughputSummary[], nodes: number, hours: number, policy: string) =>
  cases.find((c) => c.nodes === nodes && c.hours === hours && c.policy === policy);

/**
 * Growth of wall time with the cluster (from the smallest cluster at the longest duration) and with simulated
 * time (from the shortest duration at each size), per policy; and the loop's overhead at each size.
 */
export const throughputReport = (
  cases: readonly ThroughputSummary[],
  commands?: CommandFigures,
  worldBuild?: WorldBuild,
): ThroughputReport => {
  const growth: Growth[] = [];
  const policies = [...new Set(cases.map((c) => c.policy))];
  const longest = Math.max(...cases.map((c) => c.hours));
  for (const policy of policies) {
    const mine = cases.filter((c) => c.policy === policy);
    const sizes = [...new Set(mine.filter((c) => c.hours === longest).map((c) => c.nodes))].sort(
      (a, b) => a - b,
    );
    const base = sizes[0];
    for (const to of sizes.slice(1)) {
      const a = base === undefined ? undefined : find(cases, base, longest, policy);
      const b = find(cases, to, longest, policy);
      if (a === undefined || b === undefined || base === undefined) continue;
      growth.push(grow(policy, 'nodes', base, to, longest, a.wallMs, b.wallMs));
    }
    for (const nodes of [...new Set(mine.map((c) => c.nodes))].sort((x, y) => x - y)) {
      const durations = mine
        .filter((c) => c.nodes === nodes)
        .map((c) => c.hours)
        .sort((x, y) => x - y);
      const shortest = durations[0];
      if (shortest === undefined) continue;
      for (const to of durations.slice(1)) {
        const a = find(cases, nodes, shortest, policy);
        const b = find(cases, nodes, to, policy);
        if (a === undefined || b === undefined) continue;
        growth.push(grow(policy, 'hours', shortest, to, nodes, a.wallMs, b.wallMs));
      }
    }
  }
  const loopOverhead: LoopOverhead[] = [];
  for (const m of cases.filter((c) => c.policy === 'mapek')) {
    const noop = find(cases, m.nodes, m.hours, 'noop');
    if (noop === undefined) continue;
    const oracle = find(cases, m.nodes, m.hours, 'oracle');
    loopOverhead.push({
      nodes: m.nodes,
      hours: m.hours,
      mapekMs: m.wallMs,
      noopMs: noop.wallMs,
      ratio: round(m.wallMs / Math.max(1, noop.wallMs), 2),
      cpuRatio: round(m.cpuMs / Math.max(1, noop.cpuMs), 2),
      oracleMs: oracle?.wallMs ?? null,
      ratioToOracle: oracle === undefined ? null : round(m.wallMs / Math.max(1, oracle.wallMs), 2),
    });
  }
  return {
    cases,
    growth,
    loopOverhead,
    ...(commands === undefined ? {} : { commands }),
    ...(worldBuild === undefined ? {} : { worldBuild }),
  };
};

const grow = (
  policy: string,
  dimension: Growth['dimension'],
  from: number,
  to: number,
  at: number,
  fromMs: number,
  toMs: number,
): Growth => {
  const wallRatio = toMs / Math.max(1, fromMs);
  return {
    policy,
    dimension,
    from,
    to,
    at,
    wallRatio: round(wallRatio, 2),
    exponent: round(Math.log(wallRatio) / Math.log(to / from), 2),
  };
};
