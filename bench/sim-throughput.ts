/**
 * Simulator throughput: simulated time per wall second and events per second, with no controller attached
 * (a controller can be named). Each case runs in its own child process so its peak memory is its own. The
 * engine is `src/bench/throughput.ts`; `npm run bench` runs these cases and more.
 *
 *   npx tsx bench/sim-throughput.ts            # the cases: 50 and 1,000 nodes, 24 h
 *   npx tsx bench/sim-throughput.ts 200 24     # one case: nodes, hours
 */
import { fileURLToPath } from 'node:url';
import { runThroughputCaseIsolated, type ThroughputResult } from '../src/bench/throughput.ts';

export type { ThroughputResult };

const main = async () => {
  const args = process.argv.slice(2);
  const cases: [number, number][] =
    args.length >= 2
      ? [[Number(args[0]), Number(args[1])]]
      : [
          [50, 24],
          [1_000, 24],
        ];
  for (const [nodes, hours] of cases) {
    const r = await runThroughputCaseIsolated({ nodes, hours, policy: 'noop' });
    console.log(
      `${String(r.nodes).padStart(5)} nodes ${r.hours} h: ${r.wallMs} ms wall, ${r.speedup.toLocaleString('en')}x real time, ` +
        `${r.events.toLocaleString('en')} events (${r.eventsPerSecond.toLocaleString('en')}/s), ${r.faults} faults, peak ${r.peakRssMb} MB`,
    );
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
