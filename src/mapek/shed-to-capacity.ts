import { DEFAULT_RETRY_BUDGET } from '../cluster/queueing/retry-policy.ts';

/** The budget the loop puts on a storm's clients: Finagle's defaults, 20 % of requests and 10 retries a second. */
export const STORM_BUDGET = DEFAULT_RETRY_BUDGET;

/**
 * Shedding to capacity, as data: the attempts let through are brought to this share of what the replicas
 * serve, so the backlog drains at the rest (an admission controller's target utilisation); the share shed is
 * kept within the bounds and rounded up to a step, so noise in one scrape does not make a new fraction.
 */
const SHED_TO_CAPACITY = { target: 0.8, min: 0.05, max: 0.9, step: 0.05 } as const;

/**
 * The share of a service's requests to shed, with the storm budget on its clients, so that its attempts fall
 * to `target` x what its replicas serve. Shed requests are not retried, and the budget caps the rest at
 * originals x (1 + ratio) + minRetriesPerSecond whatever fails, so with `originalRps` asked and shedding f:
 * (1 - f) x originals x (1 + ratio) + min <= target x throughput. The retries seen in the scrape do not enter:
 * an interval's average of a storm still forming understates them, and under the budget they no longer matter.
 */
export const shedToCapacity = (originalRps: number, throughputRps: number): number => {
  const S = SHED_TO_CAPACITY;
  const b = STORM_BUDGET;
  if (!(originalRps > 0)) return S.min;
  const admitted = (S.target * throughputRps - b.minRetriesPerSecond) / (originalRps * (1 + b.ratio));
  const stepped = Math.ceil((1 - admitted) / S.step - 1e-9) * S.step;
  return Math.round(Math.min(S.max, Math.max(S.min, stepped)) * 100) / 100;
};
