import { describe, expect, it } from 'vitest';
import type { ServiceId } from '../../src/cluster/ids.ts';
import { diagnoseDependencies } from '../../src/mapek/dependency-diagnosis.ts';
import type { DependencyHealth, ServiceHealth, Symptom } from '../../src/mapek/types.ts';

const id = (s: string) => s as ServiceId;
const dep = (service: string, more: Partial<DependencyHealth> = {}): DependencyHealth => ({
  service: id(service),
  rps: 100,
  errorRate: 0,
  timeoutRate: 0,
  latencyMs: 10,
  baselineLatencyMs: 10,
  circuitOpen: false,
  fallback: false,
  ...more,
});
const health = (service: string, dependencies?: DependencyHealth[]): ServiceHealth => ({
  service: id(service),
  offeredRps: 100,
  servedRps: 100,
  errorRate: 0,
  latencyMs: 10,
  baselineLatencyMs: 10,
  shedFraction: 0,
  ...(dependencies === undefined ? {} : { dependencies }),
});
const errors = (service: string): Symptom => ({
  kind: 'service-errors',
  service: id(service),
  errorRate: 0.3,
});
const always = () => true;
const counter = () => {
  const m = new Map<string, number>();
  return { get: (k: string) => m.get(k) ?? 0, set: (k: string, n: number) => void m.set(k, n), m };
};

describe('diagnosis along the call graph', () => {
  it('a sick callee at the bottom is the root: its callers are covered, the one with a fallback opens its circuit', () => {
    // edge -> api (no fallback) -> cache (fallback); cache fails by itself, every caller shows errors.
    const services = [
      health('edge', [dep('api', { errorRate: 0.3 })]),
      health('api', [dep('cache', { errorRate: 0.5, fallback: true })]),
      health('cache'),
    ];

    const d = diagnoseDependencies(
      services,
      [errors('edge'), errors('api'), errors('cache')],
      new Set(),
      always,
      counter(),
    );

    expect([...d.roots]).toEqual(['cache']);
    expect([...d.covered].sort()).toEqual(['api', 'edge']);
    expect(d.findings.map((f) => [f.cause, f.component])).toEqual([['cascade', 'api->cache']]);
  });

  it('a callee covered by a node failure in hand is the root too (the shop db on its slow node)', () => {
    const services = [health('api', [dep('db', { timeoutRate: 0.2 })]), health('db')];

    const d = diagnoseDependencies(services, [errors('api')], new Set([id('db')]), always, counter());

    expect([...d.roots]).toEqual(['db']);
    expect([...d.covered]).toEqual(['api']);
    expect(d.findings).toEqual([]);
  });

  it('calls failing to a healthy callee are a dependency failure of the edge, and the callers above it cascade', () => {
    const services = [
      health('edge', [dep('api', { latencyMs: 150, baselineLatencyMs: 40 })]),
      health('api', [dep('cache', { latencyMs: 50, baselineLatencyMs: 2, fallback: true })]),
      health('cache'),
    ];

    const d = diagnoseDependencies(services, [errors('edge'), errors('api')], new Set(), always, counter());

    expect(d.findings.map((f) => [f.cause, f.component, f.fallback])).toEqual([
      ['dependency', 'api->cache', true],
    ]);
    expect([...d.covered].sort()).toEqual(['api', 'edge']);
    expect([...d.roots]).toEqual([]);
  });

  it('an open circuit is probed once it has slept, then sleeps longer after each probe (Envoy: 30 s x ejections)', () => {
    const services = [
      health('api', [dep('cache', { circuitOpen: true, errorRate: 1, fallback: true })]),
      health('cache'),
    ];
    const c = counter();
    const scrapes = new Map<string, number>();
    const persisted = (key: string, n: number) => {
      const v = (scrapes.get(key) ?? 0) + 1;
      scrapes.set(key, v);
      return v >= n;
    };
    const probeAt: number[] = [];

    for (let scrape = 1; scrape <= 30; scrape++) {
      const d = diagnoseDependencies(services, [], new Set(), persisted, c);
      if (d.findings.some((f) => f.cause === 'close-circuit')) {
        probeAt.push(scrape);
        scrapes.delete('circuit:api->cache');
      }
    }

    // 6 scrapes, then 12 more, then 18 more would be at 36.
    expect(probeAt).toEqual([6, 18]);
  });
});
