import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapekPolicy } from '../../src/controllers/mapek-policy.ts';
import { MapekConfig } from '../../src/mapek/config.ts';
import { loadKnowledgeFile, saveKnowledgeFile } from '../../src/mapek/knowledge-file.ts';
import { MapekLoop } from '../../src/mapek/mapek-loop.ts';
import { worldWithLoop } from '../support/mapek.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'mapek-knowledge-'));

/** Knowledge learned from one crash and its recovery. */
const learned = () => {
  const { loop } = worldWithLoop({ faults: [{ at: '30s', kind: 'node-crash', target: 'node-1' }] });
  loop.runContinuous(180_000);
  return loop.exportKnowledge();
};

describe('knowledge files', () => {
  it('round-trip: what one run saved, the next run starts from', () => {
    const path = join(dir(), 'knowledge.json');
    const data = learned();

    const saved = saveKnowledgeFile(path, data);
    const loaded = loadKnowledgeFile(path);
    const next = MapekLoop.controller(MapekConfig.create(), {
      knowledge: loaded.ok ? loaded.value : undefined,
    });

    expect(saved).toEqual({ ok: true, value: path });
    expect(loaded).toEqual({ ok: true, value: data });
    expect(data.stats.length).toBeGreaterThan(0);
    expect(next.ok && next.value.knowledge.allStats()).toEqual(data.stats);
  });

  it('writes atomically: no temporary file is left behind, and saving again replaces the file', () => {
    const d = dir();
    const path = join(d, 'knowledge.json');
    const data = learned();
    saveKnowledgeFile(path, { ...data, stats: [] });

    const again = saveKnowledgeFile(path, data);

    expect(again.ok).toBe(true);
    expect(readdirSync(d)).toEqual(['knowledge.json']);
    expect(loadKnowledgeFile(path)).toEqual({ ok: true, value: data });
  });

  it('refuses a corrupt file with a typed error, and never overwrites it', () => {
    const path = join(dir(), 'knowledge.json');
    writeFileSync(path, '{"format": "mapek-knowledge", "version": 1, "stats": [tru');

    const loaded = loadKnowledgeFile(path);
    const saved = saveKnowledgeFile(path, learned());

    expect(!loaded.ok && loaded.error).toMatchObject({
      kind: 'KnowledgeUpdateFailed',
      problem: 'corrupt',
      path,
    });
    expect(!saved.ok && saved.error).toMatchObject({ kind: 'KnowledgeUpdateFailed', problem: 'corrupt' });
    expect(readFileSync(path, 'utf8')).toBe('{"format": "mapek-knowledge", "version": 1, "stats": [tru');
  });

  it('refuses a foreign JSON file and a damaged knowledge file, naming what is wrong', () => {
    const d = dir();
    const foreign = join(d, 'package.json');
    const damaged = join(d, 'damaged.json');
    writeFileSync(foreign, JSON.stringify({ name: 'something else' }));
    writeFileSync(damaged, JSON.stringify({ ...learned(), stats: [{ failureType: 'Meteor' }] }));

    const a = loadKnowledgeFile(foreign);
    const b = loadKnowledgeFile(damaged);
    const c = saveKnowledgeFile(foreign, learned());

    expect(!a.ok && a.error.problem).toBe('foreign');
    expect(!b.ok && b.error).toMatchObject({ problem: 'corrupt' });
    expect(!b.ok && b.error.message).toContain('stats.0');
    expect(!c.ok && c.error.problem).toBe('foreign');
    expect(JSON.parse(readFileSync(foreign, 'utf8'))).toEqual({ name: 'something else' });
  });

  it('overwrites a foreign file only when asked to, and reports a missing file as unreadable', () => {
    const d = dir();
    const path = join(d, 'notes.json');
    writeFileSync(path, '[]');

    const forced = saveKnowledgeFile(path, learned(), { overwrite: true });
    const missing = loadKnowledgeFile(join(d, 'nope.json'));

    expect(forced.ok).toBe(true);
    expect(loadKnowledgeFile(path).ok).toBe(true);
    expect(!missing.ok && missing.error.problem).toBe('unreadable');
  });

  it('the mapek policy starts from knowledge handed over by the CLI', () => {
    const data = learned();

    const loop = mapekPolicy(
      { policy: 'mapek', mapek: MapekConfig.DEFAULTS },
      { knowledge: JSON.parse(JSON.stringify(data)) },
    ) as MapekLoop;

    expect(loop.knowledge.allStats()).toEqual(data.stats);
  });
});
