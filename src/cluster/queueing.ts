/** Utilisation is capped here: the fluid model drops what a replica cannot serve instead of queueing forever. */
const MAX_UTILISATION = 0.99;

/**
 * Mean response time of an M/D/1 queue as a multiple of the service time: 1 + rho / (2 (1 - rho)).
 * Deterministic service keeps latency flat until about 70 % load and steep beyond 90 %, as services behave.
 */
export const latencyMultiplier = (utilisation: number): number => {
  const rho = Math.min(Math.max(utilisation, 0), MAX_UTILISATION);
  return 1 + rho / (2 * (1 - rho));
};
