import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMapek } from '../support/cli-io.ts';

const CRASH = fileURLToPath(new URL('../fixtures/crash-noop.yaml', import.meta.url));
const dir = () => mkdtempSync(join(tmpdir(), 'mapek-hostile-'));

/** A character device of our own (as root), so a regression cannot turn the real /dev/null into a file. */
const charDevice = (d: string): string | null => {
  try {
    execFileSync('mknod', [join(d, 'null'), 'c', '1', '3'], { stdio: 'ignore' });
    return join(d, 'null');
  } catch {
    return null;
  }
};

describe('output paths are checked before any run', () => {
  it('refuses a device, a FIFO, a directory and an empty path all at once, running nothing', async () => {
    const d = dir();
    execFileSync('mkfifo', [join(d, 'fifo')]);
    mkdirSync(join(d, 'sub'));
    const device = charDevice(d) ?? join(d, 'fifo2');
    if (!existsSync(device)) execFileSync('mkfifo', [device]);

    const r = await runMapek([
      'run',
      CRASH,
      '--json',
      device,
      '--junit',
      join(d, 'fifo'),
      '--trace',
      join(d, 'sub'),
      '--knowledge',
      '',
    ]);

    expect([r.code, r.out, r.err.trim().split('\n').length]).toEqual([2, '', 4]);
    expect(statSync(device).isFile()).toBe(false);
  });

  it('refuses an output that is the input scenario or another output, leaving the scenario as it was', async () => {
    const d = dir();
    const scenario = join(d, 's.yaml');
    writeFileSync(scenario, readFileSync(CRASH));

    const r = await runMapek([
      'run',
      scenario,
      '--json',
      scenario,
      '--junit',
      join(d, 'a'),
      '--trace',
      join(d, 'a'),
    ]);

    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toContain(`cannot write ${scenario} (--json): it is a scenario`);
    expect(r.err).toContain(`cannot write ${join(d, 'a')} (--trace): it is also the --junit output`);
    expect(readFileSync(scenario, 'utf8')).toBe(readFileSync(CRASH, 'utf8'));
  });

  it('refuses explore --out naming its own scenario', async () => {
    const d = dir();
    const scenario = join(d, 's.yaml');
    writeFileSync(scenario, readFileSync(CRASH));

    const r = await runMapek(['explore', scenario, '--max-faults', '2', '--out', scenario]);

    expect([r.code, r.out, r.err.includes('it is the scenario')]).toEqual([2, '', true]);
  });

  it('writes through a symlinked output to its target and keeps the link', async () => {
    const d = dir();
    writeFileSync(join(d, 'target.json'), 'old');
    symlinkSync(join(d, 'target.json'), join(d, 'link.json'));

    await runMapek(['run', CRASH, '--json', join(d, 'link.json')]);

    expect(JSON.parse(readFileSync(join(d, 'target.json'), 'utf8')).format).toBe('mapek-journal/2');
    expect(
      execFileSync('readlink', [join(d, 'link.json')])
        .toString()
        .trim(),
    ).toBe(join(d, 'target.json'));
  });
});

describe('replay proves the whole journal', () => {
  it('names the first field of a tampered journal and exits 1', async () => {
    const d = dir();
    await runMapek(['run', CRASH, '--json', join(d, 'j.json')]);
    const journal = JSON.parse(readFileSync(join(d, 'j.json'), 'utf8'));
    journal.summary.availability = 0.5;
    writeFileSync(join(d, 'j.json'), JSON.stringify(journal));

    const r = await runMapek(['replay', join(d, 'j.json')]);

    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^DIFFERS {2}crash-noop .* first at summary\.availability: recorded 0\.5, now 0\.9\d+; trace the same\n$/,
    );
  });

  it('replays a run that started from a --knowledge file as SAME', async () => {
    const d = dir();
    const k = join(d, 'k.json');
    await runMapek(['run', CRASH, '--policy', 'mapek', '--knowledge', k]);
    await runMapek(['run', CRASH, '--policy', 'mapek', '--knowledge', k, '--json', join(d, 'j.json')]);
    const recorded = JSON.parse(readFileSync(join(d, 'j.json'), 'utf8'));

    const r = await runMapek(['replay', join(d, 'j.json')]);

    expect(recorded.knowledge.file).toBe(k);
    expect([r.code, r.out.startsWith('SAME')]).toEqual([0, true]);
  });

  it('says why a journal whose starting knowledge was edited cannot replay', async () => {
    const d = dir();
    const k = join(d, 'k.json');
    await runMapek(['run', CRASH, '--policy', 'mapek', '--knowledge', k]);
    await runMapek(['run', CRASH, '--policy', 'mapek', '--knowledge', k, '--json', join(d, 'j.json')]);
    const journal = JSON.parse(readFileSync(join(d, 'j.json'), 'utf8'));
    journal.knowledge.data.history = [];
    writeFileSync(join(d, 'j.json'), JSON.stringify(journal));

    const r = await runMapek(['replay', join(d, 'j.json')]);

    expect([r.code, r.out.includes('does not match its digest')]).toEqual([1, true]);
  });
});

describe('bounded inputs', () => {
  it('refuses /dev/zero and a FIFO instead of reading or blocking', async () => {
    const d = dir();
    execFileSync('mkfifo', [join(d, 'pipe.yaml')]);

    const zero = await runMapek(['validate', '/dev/zero']);
    const fifo = await runMapek(['validate', join(d, 'pipe.yaml')]);

    expect([zero.code, zero.err.includes('character device')]).toEqual([2, true]);
    expect([fifo.code, fifo.err.includes('named pipe')]).toEqual([2, true]);
  }, 20_000);

  it('refuses a run over the cost limit, naming the estimate and the flag', async () => {
    const d = dir();
    const scenario = join(d, 'costly.yaml');
    writeFileSync(
      scenario,
      'name: costly\nduration: 24h\ncluster: { nodes: { count: 3 }, services: [ { name: api, replicas: 3, capacityRps: 400 } ] }\ncontroller: { policy: mapek, cycleInterval: 1ms, maxCycleTime: 1ms }\n',
    );

    const r = await runMapek(['run', scenario, '--json', join(d, 'j.json')]);

    expect([r.code, r.out, existsSync(join(d, 'j.json'))]).toEqual([2, '', false]);
    expect(r.err).toMatch(/estimated cost 5\.\d+e9 visits is over the limit of 3\.00e8/);
    expect(r.err).toContain('--no-cost-limit');
  });
});

describe('semantic errors', () => {
  it.each([
    [
      'unplaceable replicas',
      'services: [ { name: api, replicas: 9, capacityRps: 400 } ]',
      '',
      /:4:38: cluster\.services\[0\]\.replicas: the replicas cannot all be placed/,
    ],
    [
      'an empty random window',
      'services: [ { name: api, replicas: 3, capacityRps: 400 } ]',
      'faults:\n  - random: { from: 5m, until: 1m, meanInterval: 30s, kinds: { node-crash: 1 } }\n',
      /:8:32: faults\[0\]\.random\.until/,
    ],
    [
      'a window after the end',
      'services: [ { name: api, replicas: 3, capacityRps: 400 } ]',
      'faults:\n  - random: { from: 2h, meanInterval: 30s, kinds: { node-crash: 1 } }\n',
      /:8:21: faults\[0\]\.random\.from/,
    ],
    [
      'a blast radius over the cluster',
      'services: [ { name: api, replicas: 3, capacityRps: 400 } ]',
      'faults:\n  - { at: 1m, kind: node-crash, target: random, blastRadius: "count:50" }\n',
      /:8:62: faults\[0\]\.blastRadius: blast radius count:50 is larger than the cluster \(3 nodes\)/,
    ],
    [
      'an overflowing value',
      'services: [ { name: api, replicas: 3, capacityRps: 1e308 } ]',
      '',
      /:4:54: cluster\.services\[0\]\.capacityRps: 1e\+308 is too large/,
    ],
  ])('exit 2 at file:line:col for %s', async (_name, services, faults, expected) => {
    const d = dir();
    const file = join(d, 's.yaml');
    writeFileSync(
      file,
      `name: s\nduration: 1h\ncluster: { nodes: { count: 3, cpu: 2 },\n  ${services} }\ncontroller: { policy: noop }\nworkload: []\n${faults}`,
    );

    const r = await runMapek(['run', file]);

    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toMatch(expected);
  });
});

describe('the small ones', () => {
  it('exits 2 for an explore --path that is not in the search', async () => {
    const d = dir();

    const r = await runMapek([
      'explore',
      CRASH,
      '--max-faults',
      '2',
      '--seed',
      '1',
      '--path',
      '0:0:0:0:0:0:0:0:0:99',
      '--out',
      join(d, 'c.yaml'),
    ]);

    expect([r.code, r.err.includes('is not a path of this search')]).toEqual([2, true]);
  });

  it('refuses a knowledge file another live run holds, and leaves it alone', async () => {
    const d = dir();
    const k = join(d, 'k.json');
    writeFileSync(`${k}.lock`, '1\n');

    const r = await runMapek(['run', CRASH, '--policy', 'mapek', '--knowledge', k]);

    expect([r.code, r.out, existsSync(k)]).toEqual([2, '', false]);
    expect(r.err).toContain('is in use by mapek process 1');
  });

  it('follows symlinked scenarios in a directory argument and lists broken links as skipped', async () => {
    const d = dir();
    symlinkSync(CRASH, join(d, 'a.yaml'));
    symlinkSync(join(d, 'nowhere.yaml'), join(d, 'b.yaml'));

    const r = await runMapek(['validate', d]);

    expect(r.out).toBe(`ok  ${join(d, 'a.yaml')}  (crash-noop)\n`);
    expect(r.err).toBe(`mapek: ${join(d, 'b.yaml')}: a symbolic link to no regular file; skipped\n`);
  });

  it('escapes control characters of a scenario name on the console and in JUnit', async () => {
    const d = dir();
    const file = join(d, 's.yaml');
    writeFileSync(
      file,
      readFileSync(CRASH, 'utf8').replace('name: crash-noop', 'name: "bell\\u0007red\\u001b[31m"'),
    );

    const r = await runMapek(['run', file, '--junit', join(d, 'j.xml')]);
    const xml = readFileSync(join(d, 'j.xml'), 'utf8');

    expect([
      r.out.includes('bell\\u{7}red\\u{1B}[31m'),
      r.out.includes('\u0007') || r.out.includes('\u001b'),
    ]).toEqual([true, false]);
    expect(xml.includes('bell\\u{7}red\\u{1B}[31m')).toBe(true);
  });

  it('never prints NaN or Infinity', async () => {
    const d = dir();
    const file = join(d, 's.yaml');
    writeFileSync(file, readFileSync(CRASH, 'utf8').replace('rps: 900', 'rps: 1e308'));

    const r = await runMapek(['run', file]);

    expect([r.code, /NaN|Infinity/.test(r.out + r.err)]).toEqual([2, false]);
  });
});
