/**
 * Cost of the traffic model's per-event functions (src/cluster/queueing/), in ns per call, and whether they
 * allocate: the GC column counts young-generation collections during the timed loop. V8 boxes a double returned
 * across a call it did not inline (16 bytes), so the baseline row shows the collections that boxing alone
 * causes; a function that allocated objects, arrays or closures per call would show many more.
 *
 *   npx tsx bench/queueing.ts
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { erlangC } from '../src/cluster/queueing/erlang-c.ts';
import { createReplicaLevel, settleReplicaLevel } from '../src/cluster/queueing/replica-level.ts';
import {
  createReplicaQueue,
  nextReplicaEventMs,
  setReplicaArrival,
} from '../src/cluster/queueing/replica-queue.ts';
import { createReplicaTraffic, settleReplicaTraffic } from '../src/cluster/queueing/replica-traffic.ts';
import {
  createResponseMixture,
  mixtureQuantileMs,
  resetResponseMixture,
} from '../src/cluster/queueing/response-mixture.ts';
import {
  createResponseTime,
  responseQuantileMs,
  setMmcResponseTime,
} from '../src/cluster/queueing/response-time.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../src/cluster/queueing/retry-policy.ts';

let collections = 0;
const observer = new PerformanceObserver((list) => {
  collections += list.getEntries().length;
});
observer.observe({ entryTypes: ['gc'] });

// Results feed this sink so the optimiser cannot drop the calls (a typed array: a module-level number would
// box a fresh heap number on every write and show up as garbage).
const sink = new Float64Array(1);

const bench = async (name: string, calls: number, body: (i: number) => number): Promise<void> => {
  let acc = 0;
  for (let i = 0; i < calls / 10; i++) acc += body(i);
  await new Promise((resolve) => setImmediate(resolve));
  const before = collections;
  const start = performance.now();
  for (let i = 0; i < calls; i++) acc += body(i);
  const ns = ((performance.now() - start) * 1e6) / calls;
  sink[0] = acc;
  await new Promise((resolve) => setImmediate(resolve));
  const gcs = collections - before;
  console.log(
    `${name.padEnd(52)} ${ns.toFixed(0).padStart(7)} ns/call   ${gcs === 0 ? 'no GC' : `${gcs} GC`}`,
  );
};

const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, timeoutMs: 1_000, maxAttempts: 3 };
const response = createResponseTime();
const mixture = createResponseMixture();
resetResponseMixture(mixture, 3);
for (let i = 0; i < 3; i++) {
  const part = mixture.parts[i];
  if (part !== undefined) setMmcResponseTime(part, 8, 250 + 40 * i, 20 * (1 + i / 2));
  mixture.weights[i] = 1;
}
const queue = createReplicaQueue(8, 20, 1024);
const level = createReplicaLevel(createResponseTime());
const traffic = createReplicaTraffic(createReplicaQueue(8, 20, 1024), policy);

await bench('baseline: a closure returning a double', 2_000_000, (i) => i * 0.5);
await bench('erlangC, c = 8', 2_000_000, (i) => erlangC(8, 6 + (i & 7) * 0.1));
await bench('erlangC, c = 1000', 200_000, (i) => erlangC(1000, 900 + (i & 7)));
await bench(
  'setMmcResponseTime, c = 8',
  2_000_000,
  (i) => setMmcResponseTime(response, 8, 300 + (i & 7), 20).waitProbability,
);
await bench('responseQuantileMs p99, c = 8', 1_000_000, (i) => {
  setMmcResponseTime(response, 8, 300 + (i & 7), 20);
  return responseQuantileMs(response, 0.99);
});
await bench('mixtureQuantileMs p99, 3 replicas', 500_000, (i) =>
  mixtureQuantileMs(mixture, 0.99 - (i & 1) * 1e-3),
);
await bench('setReplicaArrival + nextReplicaEventMs', 2_000_000, (i) => {
  setReplicaArrival(queue, i, 380 + (i & 63));
  return nextReplicaEventMs(queue, 1_000);
});
await bench('settleReplicaLevel', 1_000_000, () => settleReplicaLevel(level, queue, 1_000).goodputRps);
await bench('settleReplicaTraffic (fixed point + level + next crossing)', 500_000, (i) =>
  settleReplicaTraffic(traffic, i, 280 + (i & 15)),
);

observer.disconnect();
if (Number.isNaN(sink[0])) console.log('sink');
