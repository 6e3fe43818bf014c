import type { LoadEstimate } from './types.ts';

/**
 * Admission control while an overload's scale-out starts, as data. The replicas serving now are held at
 * `target` of what they serve (Google's SRE book, "Handling Overload": a task keeps serving the rate it is
 * provisioned for, at its usual latency, whatever excess is thrown at it; Envoy's adaptive concurrency filter
 * limits the requests outstanding from latency samples against the ideal round trip), and the backlog standing
 * now drains within `drainMs`, so none stands when the new replicas join (`OVERLOAD_SCALING.leadMs`, 12 s on)
 * and the shedding can be lifted at once.
 */
export const OVERLOAD_SHEDDING = {
  /**
   * Attempts let through, as a share of what the replicas serve now. At 90 % an M/M/8 replica of 20 ms
   * answers in 38 ms on average (Erlang C), 1.6x the 24 ms it answers in 75 % busy, under the loop's own
   * latency symptom (2x the learned baseline); at 95 % (the oracle's admission target) in 62 ms, 2.6x, and the
   * lift waited a scrape more for the symptom to go.
   */
  target: 0.9,
  /**
   * Time the standing backlog should take to drain: half the lead time, since the shedding lands a
   * reconfiguration (1 s) after the plan and the scrape the lift reads must show no queue over its interval
   * (5 s by default) by the time the replicas join. Draining within the whole lead time left the scrape after
   * their join averaging the drain's slow answers: the lift waited 5 s more on a third of the seeds.
   */
  drainMs: 6_000,
  /**
   * An excess of attempts over throughput below this share is the scrape's noise (three deviations of its
   * 2 %, summed, as the recovery tracker's drain rate): no excess, nothing to shed.
   */
  minExcess: 0.03,
  /** The share shed is rounded up to this step, so the admitted load is never over the target. */
  step: 0.01,
  /** At most this share: a scale-out at most doubles the service, so more would not fit once it serves. */
  max: 0.5,
} as const;

const S = OVERLOAD_SHEDDING;

/**
 * The share of an overloaded service's requests to shed while the replicas its scale-out adds start: what
 * the replicas serving now cannot carry. With `attemptsRps` arriving, `throughputRps` served and `backlog`
 * waiting, the attempts let through are brought to target x throughput - backlog / drain, so the queue stops
 * growing and what stands is gone before the new replicas serve. 0 when the attempts do not exceed the
 * throughput beyond the noise (a scale-out alone, refusing nobody, is the answer then) or nothing is served.
 */
export const leadTimeShedFraction = (load: LoadEstimate): number => {
  const { attemptsRps, throughputRps, backlog } = load;
  if (!(throughputRps > 0) || attemptsRps <= (1 + S.minExcess) * throughputRps) return 0;
  const admittedRps = S.target * throughputRps - backlog / (S.drainMs / 1_000);
  const stepped = Math.ceil((1 - admittedRps / attemptsRps) / S.step - 1e-9) * S.step;
  return Math.round(Math.min(S.max, Math.max(0, stepped)) * 100) / 100;
};
