/**
 * Runs one throughput case (`<nodes> <hours> <policy>`) in this fresh process and sends the measurement to
 * the parent over IPC. Started by `runThroughputCaseIsolated`.
 */
import { runThroughputCase } from './throughput.ts';

const [nodes, hours, policy] = process.argv.slice(2);
try {
  process.send?.(runThroughputCase({ nodes: Number(nodes), hours: Number(hours), policy: policy ?? 'noop' }));
} catch (e) {
  process.send?.({ error: e instanceof Error ? e.message : String(e) });
}
process.disconnect?.();
