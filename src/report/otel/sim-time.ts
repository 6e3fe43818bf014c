import type { HrTime } from '@opentelemetry/api';
import { SIM_EPOCH_MS } from '../../sim/sim-epoch.ts';

/**
 * A sim instant as OpenTelemetry's `[seconds, nanoseconds]` since the Unix epoch: `SIM_EPOCH_MS` plus the
 * sim time. Always an HrTime: the SDK reads a plain number below `performance.now()` as a monotonic reading.
 */
export const simHrTime = (simMs: number): HrTime => {
  const ms = SIM_EPOCH_MS + Math.round(simMs);
  const seconds = Math.floor(ms / 1000);
  return [seconds, (ms - seconds * 1000) * 1_000_000];
};
