/**
 * The fault mixes of issue 11 (and issue 12's extreme oracle case), 5 policies x N seeds each: how often
 * each policy passes the detection and recovery SLOs, its availability, and the per-fault MTTD/MTTR
 * distributions. `npx tsx scripts/verdict-cases.ts [seeds] [case...]`. Not a benchmark: a check that the
 * verdicts favour the right policy.
 */

import { POLICY_NAMES } from '../src/controllers/controller-spec.ts';
import { distributionOf } from '../src/measures/distribution.ts';
import { runScenario } from '../src/scenario/runner.ts';
import { scenarioSchema } from '../src/scenario/schema/scenario.ts';

const CLUSTER = {
  nodes: { count: 6, memoryGb: 32, memoryUse: '45%' },
  services: [
    { name: 'api', replicas: 6, capacityRps: 400 },
    { name: 'orders', replicas: 6, capacityRps: 300 },
  ],
  sensors: { scrapeInterval: '5s' },
};
const WORKLOAD = [
  { service: 'api', rps: 2100 },
  { service: 'orders', rps: 1600 },
];
const SLO = { detection: '30s', recovery: '60s', availability: '99.5%' };
/** Load five of the six nodes can carry: losing one node's replicas is a blip the load balancer absorbs. */
const HEADROOM = [
  { service: 'api', rps: 1500 },
  { service: 'orders', rps: 1100 },
];

const flaps = (node: string, first: number, every: number, n: number, down: string) =>
  Array.from({ length: n }, (_, i) => ({
    at: `${first + i * every}s`,
    kind: 'node-crash',
    target: node,
    duration: down,
  }));

const CASES: Record<string, Record<string, unknown>> = {
  'partition-plus-leak': {
    duration: '25m',
    cluster: CLUSTER,
    workload: HEADROOM,
    controller: { cycleInterval: '2s' },
    faults: [
      { at: '1m', kind: 'resource-exhaustion', target: 'random', resource: 'memory', leak: '4%' },
      { at: '1m', kind: 'network-partition', isolate: 'random', duration: '2m' },
    ],
    slo: SLO,
  },
  flapping: {
    duration: '15m',
    cluster: CLUSTER,
    workload: WORKLOAD,
    faults: flaps('node-3', 60, 50, 5, '1s'),
    slo: SLO,
  },
  'cpu-3-of-5': {
    duration: '12m',
    cluster: { ...CLUSTER, nodes: { count: 5 } },
    workload: [
      { service: 'api', rps: 1500 },
      { service: 'orders', rps: 1100 },
    ],
    controller: { cycleInterval: '2s' },
    faults: [
      {
        at: '2m',
        kind: 'resource-exhaustion',
        target: 'random',
        blastRadius: 'count:3',
        resource: 'cpu',
        level: '90%',
        duration: '5m',
      },
    ],
    slo: SLO,
  },
  'flapping-1ms': {
    duration: '10m',
    cluster: CLUSTER,
    workload: WORKLOAD,
    controller: { cycleInterval: '1ms' },
    faults: flaps('node-3', 60, 50, 5, '1s'),
    slo: SLO,
  },
};

const seeds = Number(process.argv[2] ?? 30);
const only = process.argv.slice(3);
const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
const s = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)}`);

for (const [name, input] of Object.entries(CASES)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const scenario = scenarioSchema.parse({ name, ...input });
  console.log(`\n## ${name} (${seeds} seeds)`);
  console.log(
    'policy          det-pass rec-pass  avail(mean) faults detected  MTTD p50/max   MTTR p50/p95/max',
  );
  const policies = (process.env.POLICIES?.split(',') ?? POLICY_NAMES) as typeof POLICY_NAMES;
  for (const policy of policies) {
    let det = 0;
    let rec = 0;
    let avail = 0;
    let faults = 0;
    let detected = 0;
    const mttd: number[] = [];
    const mttr: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const r = runScenario(scenario, { seed, policy });
      if (!r.ok) throw new Error(r.error.message);
      const { slos, outcome } = r.value;
      if (slos.find((x) => x.name === 'detection')?.pass === true) det++;
      if (slos.find((x) => x.name === 'recovery')?.pass === true) rec++;
      avail += outcome.availability;
      const incidents = (
        outcome as { incidents?: readonly { mttdMs: number | null; mttrMs: number | null }[] }
      ).incidents;
      const rows = incidents ?? outcome.measures;
      for (const m of rows) {
        faults++;
        if (m.mttdMs !== null) {
          detected++;
          mttd.push(m.mttdMs);
        }
        if (m.mttrMs !== null) mttr.push(m.mttrMs);
      }
    }
    const d = mttd.length > 0 ? distributionOf(mttd) : null;
    const t = mttr.length > 0 ? distributionOf(mttr) : null;
    console.log(
      `${`${policy.padEnd(15)} ${`${det}/${seeds}`.padStart(8)} ${`${rec}/${seeds}`.padStart(8)} ${pct(avail / seeds).padStart(12)} ${String(faults).padStart(6)} ${String(detected).padStart(8)}  ${s(d?.p50 ?? null)}/${s(d?.max ?? null)}`.padEnd(
        85,
      )}${s(t?.p50 ?? null)}/${s(t?.p95 ?? null)}/${s(t?.max ?? null)}`,
    );
  }
}
