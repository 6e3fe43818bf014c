import type { CycleStatus, TimelineCycle } from './timeline-cycle.ts';

/**
 * Consecutive plain cycles (nothing planned, nothing dispatched, no error) that are alike but for their
 * number and start, as one record: `count` cycles numbered from `cycle`, the k-th started at
 * `startedAtMs + k * periodMs`, each with the same phase times, status and failure count. About 95 % of a
 * day's cycles are plain, and they come in long runs at the cycle interval, so a day's 17 000 cycles are a
 * few hundred runs.
 */
export interface CycleRun {
  /** The first cycle's number. */
  readonly cycle: number;
  /** The first cycle's start, sim ms. */
  readonly startedAtMs: number;
  readonly count: number;
  /** Sim ms from one cycle's start to the next one's; 0 for a run of one. */
  readonly periodMs: number;
  readonly monitorMs: number;
  readonly analyzeMs: number;
  readonly planMs: number;
  readonly executeMs: number;
  readonly totalMs: number;
  /** `quiet` (monitoring only) or `watching` (analysed, nothing new to do). */
  readonly status: Extract<CycleStatus, 'quiet' | 'watching'>;
  /** Failures known in each (being recovered or verified), as the analysis counted them. */
  readonly failures: number;
}

/** Whether a cycle goes into a run: it planned nothing, dispatched nothing and ended without error. */
export const isPlainCycle = (
  c: TimelineCycle,
): c is TimelineCycle & { readonly status: CycleRun['status'] } =>
  (c.status === 'quiet' || c.status === 'watching') &&
  c.error === undefined &&
  c.planned.length === 0 &&
  c.dispatched === 0;

const alike = (r: CycleRun, c: TimelineCycle): boolean =>
  r.status === c.status &&
  r.failures === c.failures &&
  r.monitorMs === c.monitorMs &&
  r.analyzeMs === c.analyzeMs &&
  r.planMs === c.planMs &&
  r.executeMs === c.executeMs &&
  r.totalMs === c.totalMs;

/** The cycle after the run's last, if `c` continues it: same record, next number, on the run's period. */
const continues = (r: CycleRun, c: TimelineCycle & { readonly status: CycleRun['status'] }): boolean => {
  if (!alike(r, c) || c.cycle !== r.cycle + r.count) return false;
  const gap = c.startedAtMs - (r.startedAtMs + (r.count - 1) * r.periodMs);
  return r.count === 1 ? gap > 0 : gap === r.periodMs;
};

/** The cycles of a run as the timeline keeps them: plain ones as runs, every other one whole. */
export interface CompactCycles {
  /** Every cycle that planned, dispatched or went wrong, in order. */
  readonly busyCycles: readonly TimelineCycle[];
  /** Every other cycle, as runs, in order. */
  readonly quietCycles: readonly CycleRun[];
}

/** Builds {@link CompactCycles} one cycle at a time, in the order the loop ends them. */
export class CycleRunBuilder {
  private readonly busy: TimelineCycle[] = [];
  private readonly runs: CycleRun[] = [];
  /** The run the next plain cycle may extend; null after a busy cycle. */
  private open: CycleRun | null = null;

  add(c: TimelineCycle): void {
    if (!isPlainCycle(c)) {
      this.busy.push(c);
      this.open = null;
      return;
    }
    const r = this.open;
    if (r !== null && continues(r, c)) {
      const grown: CycleRun = {
        ...r,
        count: r.count + 1,
        periodMs: r.count === 1 ? c.startedAtMs - r.startedAtMs : r.periodMs,
      };
      this.runs[this.runs.length - 1] = grown;
      this.open = grown;
      return;
    }
    const run: CycleRun = {
      cycle: c.cycle,
      startedAtMs: c.startedAtMs,
      count: 1,
      periodMs: 0,
      monitorMs: c.monitorMs,
      analyzeMs: c.analyzeMs,
      planMs: c.planMs,
      executeMs: c.executeMs,
      totalMs: c.totalMs,
      status: c.status,
      failures: c.failures,
    };
    this.runs.push(run);
    this.open = run;
  }

  result(): CompactCycles {
    return { busyCycles: this.busy, quietCycles: this.runs };
  }
}

/** Compacts a list of cycles (in order). */
export const compactCycles = (cycles: readonly TimelineCycle[]): CompactCycles => {
  const b = new CycleRunBuilder();
  for (const c of cycles) b.add(c);
  return b.result();
};

/** The cycles of one run, one record each. */
export const runCycles = (r: CycleRun): TimelineCycle[] =>
  Array.from({ length: r.count }, (_, k) => ({
    cycle: r.cycle + k,
    startedAtMs: r.startedAtMs + k * r.periodMs,
    monitorMs: r.monitorMs,
    analyzeMs: r.analyzeMs,
    planMs: r.planMs,
    executeMs: r.executeMs,
    totalMs: r.totalMs,
    status: r.status,
    failures: r.failures,
    planned: [],
    dispatched: 0,
  }));

/** Every cycle, one record each, in order: the inverse of {@link compactCycles}. */
export const expandCycles = (c: CompactCycles): TimelineCycle[] =>
  [...c.busyCycles, ...c.quietCycles.flatMap(runCycles)].sort((a, b) => a.cycle - b.cycle);

/** The end of a run's last cycle, sim ms. */
export const runEndMs = (r: CycleRun): number => r.startedAtMs + (r.count - 1) * r.periodMs + r.totalMs;

/** How many cycles a compact list holds, by status. */
export const cycleCounts = (c: CompactCycles): { quiet: number; watching: number; busy: number } => {
  let quiet = 0;
  let watching = 0;
  for (const r of c.quietCycles) {
    if (r.status === 'quiet') quiet += r.count;
    else watching += r.count;
  }
  return { quiet, watching, busy: c.busyCycles.length };
};
