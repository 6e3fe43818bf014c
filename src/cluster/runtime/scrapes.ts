import type { ReplicaRole } from './states.ts';

/** What one scrape of a replica returned (rates over the scrape interval, with sensor noise). */
export interface ReplicaScrape {
  readonly atMs: number;
  readonly rps: number;
  readonly errorRate: number;
  readonly latencyMs: number;
  /** p99 response time over the interval, ms (the histogram quantile a real exporter gives; 0 if idle). */
  readonly latencyP99Ms: number;
  /** Requests queued at the scrape (an in-flight / pending gauge). */
  readonly backlog: number;
  /** Served requests per second whose client had already timed out (the server cannot tell; the proxy can). */
  readonly timeoutRps: number;
  /** CPU utilisation of the replica against its reservation, 0..1 (as metrics-server reports it). */
  readonly cpu: number;
  /** Writes behind the primary (stateful replicas only). */
  readonly replicationLag: number;
  readonly role: ReplicaRole;
}

/** Service metrics as the load balancer reports them, over the last scrape interval. */
export interface ServiceScrape {
  readonly atMs: number;
  readonly offeredRps: number;
  readonly servedRps: number;
  readonly errorRate: number;
  /** Mean latency of served requests, ms. */
  readonly latencyMs: number;
  /** Requests per second answered within the client's timeout. */
  readonly goodputRps: number;
  /** Retry attempts per second (attempts minus users' requests, as a client-side counter reports them). */
  readonly retryRps: number;
  /** Attempts per second that timed out at the client. */
  readonly timeoutRps: number;
  /** Attempts per second rejected by a full queue. */
  readonly rejectedRps: number;
  /** Requests queued over all replicas at the scrape. */
  readonly backlog: number;
  /** Median latency over the interval, ms (histogram quantile). */
  readonly latencyP50Ms: number;
  /** 95th percentile latency, ms (histogram quantile). */
  readonly latencyP95Ms: number;
  /** 99th percentile latency over the interval, ms (histogram quantile). */
  readonly latencyP99Ms: number;
  /** Requests per second answered in time but through a fallback (served, degraded); 0 without calls. */
  readonly degradedRps: number;
  /** Its calls per callee, as the caller's sidecar reports them (empty for a service that calls nothing). */
  readonly dependencies: readonly DependencyScrape[];
}

/**
 * One callee as its caller sees it over the last scrape interval, as a service mesh's per source/destination
 * metrics give it (Istio's istio_requests_total and istio_request_duration_milliseconds by
 * destination_service): the caller's proxy counts the calls, so the reading needs no access to the callee.
 */
export interface DependencyScrape {
  /** The callee. */
  readonly service: string;
  /** Calls per second (each one perhaps several attempts). */
  readonly rps: number;
  /** Share of calls that failed after all their attempts (a fallback may still have absorbed them). */
  readonly errorRate: number;
  /** Mean time of a call, its attempts together, ms. */
  readonly latencyMs: number;
  /** Share of calls whose last attempt timed out. */
  readonly timeoutRate: number;
  /** Whether the caller's circuit breaker to this callee is open (the mesh's own configuration). */
  readonly circuitOpen: boolean;
}
