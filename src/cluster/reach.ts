import type { Network } from './network.ts';
import type { Replica } from './runtime/records.ts';

/** Whether a replica runs on a machine that is up. */
export const isAlive = (r: Replica): boolean => r.state === 'running' && r.node.state === 'up';

/** Whether the load balancer sends the replica traffic: it believes it healthy and nobody took it out. */
export const routable = (r: Replica): boolean =>
  r.lbHealthy && !r.node.drained && !r.evicted && r.state !== 'removed';

/** Whether a replica is alive and the control plane can talk to it (both ways): it can be told things. */
export const controlReachable = (network: Network, r: Replica): boolean =>
  isAlive(r) && network.controlLinked(r.node.index);
