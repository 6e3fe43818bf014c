import type { SimKernel } from '../sim/kernel.ts';
import type { Cluster } from './cluster.ts';
import type { ServiceRuntime } from './runtime/records.ts';
import type { WorkloadSpec } from './spec.ts';

const DAY_MS = 86_400_000;

/** Offered load of a diurnal shape at time `t`: a cosine between the trough and the peak over one day. */
export const diurnalRps = (w: WorkloadSpec, t: number): number => {
  const phase = (2 * Math.PI * (t - w.peakAtMs)) / DAY_MS;
  return w.rps * (w.troughFactor + ((1 - w.troughFactor) * (1 + Math.cos(phase))) / 2);
};

/** Offered load at `t`, holding a diurnal shape constant over each step (sampled at the step's middle). */
export const offeredRpsAt = (w: WorkloadSpec, t: number): number => {
  let rps = w.rps;
  if (w.shape === 'diurnal') {
    const stepStart = Math.floor(t / w.stepMs) * w.stepMs;
    rps = diurnalRps(w, stepStart + w.stepMs / 2);
  }
  for (const s of w.spikes) if (t >= s.atMs && t < s.atMs + s.durationMs) rps *= s.factor;
  return rps;
};

/**
 * Multipliers on offered load that something outside the workload imposes (a `load-spike` fault), per service
 * and keyed by who imposed them, with the workload's own re-apply per service. Kept per cluster so that worlds
 * in one process never share it.
 */
interface LoadFactors {
  readonly byService: Map<string, Map<string, number>>;
  readonly apply: Map<string, () => void>;
}

const LOAD_FACTORS = new WeakMap<Cluster, LoadFactors>();

const loadFactorsOf = (cluster: Cluster): LoadFactors => {
  let f = LOAD_FACTORS.get(cluster);
  if (f === undefined) {
    f = { byService: new Map(), apply: new Map() };
    LOAD_FACTORS.set(cluster, f);
  }
  return f;
};

/** The product of the load multipliers imposed on `service` now (1 without any). */
export const loadFactorOf = (cluster: Cluster, service: string): number => {
  let product = 1;
  for (const factor of loadFactorsOf(cluster).byService.get(service)?.values() ?? []) product *= factor;
  return product;
};

/**
 * Imposes (or, with `factor` undefined, lifts) the multiplier `key` on `service`'s offered load and re-applies
 * the load at once. A service with no workload offers nothing, multiplied or not.
 */
export const setLoadFactor = (
  cluster: Cluster,
  service: string,
  key: string,
  factor: number | undefined,
): void => {
  const all = loadFactorsOf(cluster);
  let mine = all.byService.get(service);
  if (mine === undefined) {
    mine = new Map();
    all.byService.set(service, mine);
  }
  if (factor === undefined) mine.delete(key);
  else mine.set(key, factor);
  all.apply.get(service)?.();
};

/**
 * Drives each service's offered load, its clients' retry policy first: sets it at time 0 and again at every step or spike edge, times the
 * multipliers imposed from outside (setLoadFactor). Load is piecewise constant, so the number of events grows
 * with the number of changes, not with time.
 */
export const driveWorkload = (
  kernel: SimKernel,
  cluster: Cluster,
  workloads: readonly WorkloadSpec[],
): void => {
  for (const w of workloads) {
    const service = cluster.service(w.service);
    if (service === undefined) continue;
    const apply = () =>
      cluster.setOffered(
        service,
        offeredRpsAt(w, kernel.nowMs) * loadFactorOf(cluster, w.service),
        w.writeRatio,
      );
    loadFactorsOf(cluster).apply.set(w.service, apply);
    if (w.client !== undefined) cluster.traffic.setClientPolicy(service, w.client);
    apply();
    for (const s of w.spikes) {
      kernel.at(s.atMs, apply);
      kernel.at(s.atMs + s.durationMs, apply);
    }
    if (w.shape === 'diurnal') scheduleSteps(kernel, w.stepMs, apply);
  }
};

const scheduleSteps = (kernel: SimKernel, stepMs: number, apply: () => void): void => {
  const next = () => {
    apply();
    kernel.after(stepMs, next);
  };
  kernel.after(stepMs - (kernel.nowMs % stepMs), next);
};

/** Total offered load across services right now. */
export const totalOfferedRps = (services: readonly ServiceRuntime[]): number =>
  services.reduce((sum, s) => sum + s.offeredRps, 0);
