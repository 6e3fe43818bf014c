import { describe, expect, it } from 'vitest';
import { type ImportEdge, importEdges, sourceFiles } from './import-graph.ts';

/**
 * The layers of `src/`, lowest first, as docs/architecture.md draws them. A file may import its own
 * folder and any layer below its own, never one above; folders sharing a rank are peers that may not
 * import each other (the loop and the baselines know nothing of one another).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['base'],
  ['sim'],
  ['cluster'],
  ['chaos'],
  ['measures'],
  ['world'],
  ['mapek', 'policies'],
  ['controllers', 'timeline'],
  ['scenario'],
  ['sweep'],
  ['report'],
  ['bench', 'testing'],
  ['cli'],
  ['index.ts'],
];

const rankOf = new Map(LAYERS.flatMap((folders, rank) => folders.map((f) => [f, rank] as const)));

/** The layer of a file: its first folder under src/ (or `index.ts` for the public entry point). */
const layerOf = (file: string): string => file.split('/')[1] ?? file;

const describeEdge = (e: ImportEdge) =>
  `${e.from}:${e.line} (${layerOf(e.from)}) imports ${e.to} (${layerOf(e.to)})`;

/** An import that points up the layers, or sideways between peers. */
const isUpward = (e: ImportEdge): boolean => {
  const [from, to] = [layerOf(e.from), layerOf(e.to)];
  return from !== to && (rankOf.get(to) ?? Number.POSITIVE_INFINITY) >= (rankOf.get(from) ?? -1);
};

const edges = importEdges();

describe('layers that point one way', () => {
  it('places every folder of src/ in a layer', () => {
    const unplaced = [...new Set(sourceFiles().map(layerOf))].filter((l) => !rankOf.has(l));

    expect(unplaced).toEqual([]);
  });

  it('has no import from a lower layer to a higher one, or between peers', () => {
    const upward = edges.filter(isUpward);

    expect(upward.map(describeEdge)).toEqual([]);
  });

  it('has no cycle between files', () => {
    const next = new Map<string, string[]>();
    for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (file: string, path: readonly string[]): void => {
      state.set(file, 'open');
      for (const to of next.get(file) ?? []) {
        if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), file, to].join(' -> '));
        else if (!state.has(to)) walk(to, [...path, file]);
      }
      state.set(file, 'done');
    };
    for (const file of next.keys()) if (!state.has(file)) walk(file, []);

    expect(cycles).toEqual([]);
  });

  it('judges planted imports as the docs draw them: up and sideways refused, down and within allowed', () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, to, line: 1 });
    const planted = [
      edge('src/mapek/a.ts', 'src/scenario/b.ts'),
      edge('src/policies/a.ts', 'src/mapek/b.ts'),
      edge('src/base/a.ts', 'src/sim/b.ts'),
      edge('src/scenario/a.ts', 'src/controllers/b.ts'),
      edge('src/world/a.ts', 'src/world/b.ts'),
      edge('src/mapek/a.ts', 'src/report/journal.ts'),
    ];

    const judged = planted.map(isUpward);

    expect(judged).toEqual([true, true, true, false, false, true]);
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual({
      from: 'src/sweep/sweep-job.ts',
      to: 'src/scenario/runner.ts',
      line: expect.any(Number),
    });
  });
});
