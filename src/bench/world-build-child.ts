/**
 * Builds one throughput world (`<nodes>`) in this fresh process and sends the timing to the parent over IPC.
 * Started by `measureWorldBuildIsolated`.
 */
import { measureWorldBuild } from './world-build.ts';

const [nodes] = process.argv.slice(2);
try {
  process.send?.(measureWorldBuild(Number(nodes)));
} catch (e) {
  process.send?.({ error: e instanceof Error ? e.message : String(e) });
}
process.disconnect?.();
