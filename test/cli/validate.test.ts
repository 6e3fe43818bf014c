import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mapekInProcess as mapek } from './mapek-process.ts';

const GOOD = `name: t
duration: 10m
cluster:
  nodes: { count: 6 }
  services:
    - { name: api, replicas: 3, capacityRps: 400 }
`;

const bomb = (): string => {
  const lines = ['name: bomb', 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
};

/** Each bad-file class, with the `file:line` and field its message must name. */
const BAD: readonly {
  readonly name: string;
  readonly content: string | Uint8Array;
  readonly expect: RegExp;
}[] = [
  { name: 'empty.yaml', content: '', expect: /empty\.yaml: the file is empty/ },
  {
    name: 'binary.yaml',
    content: new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x0a, 0x00, 0x01, 0x02]),
    expect: /binary\.yaml:2:1: the file is binary/,
  },
  { name: 'bomb.yaml', content: bomb(), expect: /bomb\.yaml:3:\d+: aliases expand without bound/ },
  {
    name: 'proto.yaml',
    content: `${GOOD}__proto__: { x: 1 }\n`,
    expect: /proto\.yaml:7:1: __proto__: the key "__proto__"/,
  },
  {
    name: 'unknown-key.yaml',
    content: GOOD.replace('duration', 'duraton'),
    expect: /unknown-key\.yaml:2:1: duraton: unknown key "duraton"; did you mean "duration"\?/,
  },
  {
    name: 'unknown-kind.yaml',
    content: `${GOOD}faults:\n  - { at: 5s, kind: disk-on-fire, target: node-1 }\n`,
    expect: /unknown-kind\.yaml:8:21: faults\[0\]\.kind: unknown kind "disk-on-fire"/,
  },
  {
    name: 'unknown-node.yaml',
    content: `${GOOD}faults:\n  - { at: 5s, kind: network-partition, groups: [[node-1], [node-9]], duration: 1m }\n`,
    expect: /unknown-node\.yaml:8:\d+: faults\[0\]\.groups\[1\]\[0\]: unknown node "node-9"/,
  },
  {
    name: 'negative-duration.yaml',
    content: `${GOOD}faults:\n  - { at: -5s, kind: node-crash, target: node-1 }\n`,
    expect:
      /negative-duration\.yaml:8:11: faults\[0\]\.at: invalid duration "-5s": durations cannot be negative/,
  },
];

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mapek-validate-'));
  for (const b of BAD) writeFileSync(join(dir, b.name), b.content);
});

describe('mapek validate', () => {
  it('accepts every bundled scenario', async () => {
    const bundled = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));

    const r = await mapek(['validate', 'scenarios']);

    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(bundled.length).toBeGreaterThanOrEqual(9);
    for (const f of bundled) expect(r.stdout).toContain(`ok  scenarios/${f}`);
  });

  it.each(BAD)('refuses $name with exit 2, file:line and field, no stack', async (b) => {
    const r = await mapek(['validate', join(dir, b.name)]);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(b.expect);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a file that does not exist', async () => {
    const r = await mapek(['validate', 'no/such/file.yaml']);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no\/such\/file\.yaml: no such file or directory/);
  });
});
