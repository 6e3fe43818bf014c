/** A node's logical id, such as `node-3`. */
export type NodeId = string & { readonly __brand: 'NodeId' };
/** A service's name, such as `orders`. */
export type ServiceId = string & { readonly __brand: 'ServiceId' };
/** A replica's logical id, such as `orders-2`. */
export type ReplicaId = string & { readonly __brand: 'ReplicaId' };

/** The control plane: where the load balancer, the monitoring system and the controller run. */
export const CONTROL_PLANE = 'control';

/** The id of the n-th node (1-based), as scenario files spell it. */
export const nodeIdOf = (n: number): NodeId => `node-${n}` as NodeId;

/** Brands a string as a service id; validation happens where the string comes from. */
export const serviceIdOf = (name: string): ServiceId => name as ServiceId;

/** The id of the n-th replica (1-based) created for a service. */
export const replicaIdOf = (service: ServiceId, n: number): ReplicaId => `${service}-${n}` as ReplicaId;
