// The states and reasons the runtime records carry (src/cluster/runtime/records.ts), apart from the records so
// that the scrapes can name a replica's role without importing them.

/** A node's life cycle: `booting` until the OS is up, then `up` until it crashes or is restarted. */
export type NodeState = 'up' | 'crashed' | 'booting';

/** Why a node went down, kept for the ground-truth record. */
export type DownCause = 'fault' | 'oom' | 'restart';

/** A replica's life cycle. */
export type ReplicaState = 'starting' | 'running' | 'stopped' | 'removed';

/** Role of a replica in a stateful service. */
export type ReplicaRole = 'primary' | 'replica' | 'none';

/** Why a container ended, as the kubelet reports it: killed by the OOM killer, or exited on an error. */
export type Termination = 'OOMKilled' | 'Error';
