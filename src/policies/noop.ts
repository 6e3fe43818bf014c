import type { Controller } from '../world/controller.ts';

/** A controller that does nothing: how the cluster fares on its load balancer's health checks alone. */
export const noopController = (): Controller => ({
  name: 'noop',
  start: () => {},
  summary: () => ({ cycles: 0 }),
});
