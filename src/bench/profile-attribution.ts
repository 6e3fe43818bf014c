/**
 * Splits a V8 CPU profile (the inspector's `Profiler.stop` result, the `.cpuprofile` format) into where a run
 * with a controller spends its time: the loop's monitor, the coordinating statechart, the loop's phases,
 * the garbage collector, and the simulated world. Each sample goes to the innermost frame on its stack that
 * a rule claims, so the world's code a phase calls (an effector starting a reboot) counts as the phase's, and
 * XState's own frames count as the statechart's wherever they are called from.
 */

/** One frame of a CPU profile node. */
export interface ProfileFrame {
  readonly functionName: string;
  readonly url: string;
}

/** One node of a CPU profile's call tree. */
export interface ProfileNode {
  readonly id: number;
  readonly callFrame: ProfileFrame;
  readonly children?: readonly number[];
}

/** A V8 CPU profile: the call tree, and which node each sample hit, with the time since the previous one. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a sample's time goes. */
export type CostPart = 'monitor' | 'statechart' | 'phases' | 'gc' | 'world' | 'idle';

/** A rule: frames it claims, and the part they count for. */
interface Rule {
  readonly part: CostPart;
  readonly claims: (frame: ProfileFrame) => boolean;
}

const inFile = (frame: ProfileFrame, file: string) => frame.url.includes(file);

/**
 * The rules, tried on each frame from the sample's leaf outwards. The monitor's entry points are its sample
 * and its beat (the sensors it reads are the monitor's cost, not the world's); the phases' are the phase
 * actors' handlers and the knowledge actor.
 */
const RULES: readonly Rule[] = [
  { part: 'gc', claims: (f) => f.functionName === '(garbage collector)' },
  { part: 'idle', claims: (f) => f.functionName === '(idle)' || f.functionName === '(program)' },
  { part: 'statechart', claims: (f) => /[\\/]node_modules[\\/]xstate[\\/]/.test(f.url) },
  {
    part: 'monitor',
    claims: (f) =>
      (inFile(f, 'mapek/monitor.') && f.functionName === 'sample') ||
      (inFile(f, 'mapek/monitor-beat.') && (f.functionName === 'beat' || f.functionName === 'scraped')),
  },
  {
    part: 'phases',
    claims: (f) =>
      inFile(f, 'mapek/phase-actors.') ||
      inFile(f, 'mapek/knowledge-base.') ||
      (inFile(f, 'mapek/monitor-beat.') && f.functionName === 'monitored'),
  },
];

/** Microseconds of samples per part. */
export type Attribution = Readonly<Record<CostPart, number>>;

/** An attribution with nothing in it. */
export const noAttribution = (): Record<CostPart, number> => ({
  monitor: 0,
  statechart: 0,
  phases: 0,
  gc: 0,
  world: 0,
  idle: 0,
});

/** Attributes every sample of `profile` to a part (see `RULES`); a sample no rule claims is the world's. */
export const attributeProfile = (profile: CpuProfile): Attribution => {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const partOf = new Map<number, CostPart>();
  const resolve = (id: number): CostPart => {
    const known = partOf.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const own = node === undefined ? undefined : RULES.find((r) => r.claims(node.callFrame))?.part;
    const up = parent.get(id);
    const part = own ?? (up === undefined ? 'world' : resolve(up));
    partOf.set(id, part);
    return part;
  };
  const out = noAttribution();
  for (let i = 0; i < profile.samples.length; i++) {
    const sample = profile.samples[i];
    if (sample === undefined) continue;
    out[resolve(sample)] += profile.timeDeltas[i] ?? 0;
  }
  return out;
};
