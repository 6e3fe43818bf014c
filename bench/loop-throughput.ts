/**
 * MAPE-K loop throughput: the world (24 h simulated, 50 nodes, random chaos of every kind every
 * 10 minutes, 10 s scrapes) run with the loop attached (10 s cycles) and with no controller, each in its own
 * child process so neither warms the other's JIT. Targets: under 2 s wall with the loop, and under 3 times
 * the wall time of the same world without it.
 *
 *   npx tsx bench/loop-throughput.ts            # 50 nodes, 24 h
 *   npx tsx bench/loop-throughput.ts 200 6      # nodes, hours
 */
import { fileURLToPath } from 'node:url';
import { runThroughputCaseIsolated, type ThroughputResult } from '../src/bench/throughput.ts';

/** The loop's cost, measured against the bare world. */
export interface LoopThroughput {
  /** Wall time of the run with the loop attached. */
  readonly wallMs: number;
  /** Simulated time per wall time, with the loop. */
  readonly speedup: number;
  /** Wall time with the loop over wall time without a controller. */
  readonly ratio: number;
  /**
   * Wall time with the loop over wall time with the oracle baseline: the oracle keeps
   * the cluster as healthy as the loop does, so this separates the loop's own cost from the cost of
   * simulating a cluster that stays whole (a world left broken by no controller gets cheaper as it dies).
   */
  readonly ratioToOracle: number;
  readonly withLoop: ThroughputResult;
  readonly withoutController: ThroughputResult;
  readonly withOracle: ThroughputResult;
}

/** Runs both cases and compares them. */
export const loopThroughput = async (nodes = 50, hours = 24): Promise<LoopThroughput> => {
  const withoutController = await runThroughputCaseIsolated({ nodes, hours, policy: 'noop' });
  const withLoop = await runThroughputCaseIsolated({ nodes, hours, policy: 'mapek' });
  const withOracle = await runThroughputCaseIsolated({ nodes, hours, policy: 'oracle' });
  const ratio = (a: ThroughputResult, b: ThroughputResult) =>
    Math.round((a.wallMs / Math.max(1, b.wallMs)) * 100) / 100;
  return {
    wallMs: withLoop.wallMs,
    speedup: withLoop.speedup,
    ratio: ratio(withLoop, withoutController),
    ratioToOracle: ratio(withLoop, withOracle),
    withLoop,
    withoutController,
    withOracle,
  };
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [nodes, hours] = process.argv.slice(2).map(Number);
  const r = await loopThroughput(nodes ?? 50, hours ?? 24);
  console.log(
    `${r.withLoop.nodes} nodes ${r.withLoop.hours} h: with the MAPE-K loop ${r.wallMs} ms wall ` +
      `(${r.speedup.toLocaleString('en')}x real time, ${r.withLoop.events.toLocaleString('en')} events, ${r.withLoop.faults} faults, peak ${r.withLoop.peakRssMb} MB); ` +
      `no controller ${r.withoutController.wallMs} ms; ratio ${r.ratio}x` +
      `; oracle ${r.withOracle.wallMs} ms, ratio to it ${r.ratioToOracle}x`,
  );
}
