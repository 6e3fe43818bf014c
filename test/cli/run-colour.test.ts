import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMapek } from '../support/cli-io.ts';

const CRASH = 'test/fixtures/crash-noop.yaml';
const HEALTHY = 'test/fixtures/healthy-noop.yaml';
const RANDOM = 'test/fixtures/random-noop.yaml';
const TTY = { stdoutIsTTY: true };

const GREEN_PASS = '\u001b[32mPASS\u001b[39m';
const RED_FAIL = '\u001b[31mFAIL\u001b[39m';
/** Every raw control character but tab and newline: what must never reach a terminal unasked. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point.
const RAW_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u;

/** A copy of the crash fixture whose scenario is named `name`. */
const crashNamed = (name: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'mapek-colour-')), 's.yaml');
  writeFileSync(
    file,
    readFileSync(CRASH, 'utf8').replace('name: crash-noop', `name: ${JSON.stringify(name)}`),
  );
  return file;
};

describe('mapek run on a terminal', () => {
  it('colours PASS green with real SGR codes', async () => {
    const r = await runMapek(['run', HEALTHY], {}, TTY);

    expect([r.code, r.out.startsWith(`${GREEN_PASS}  healthy-noop  seed 1`)]).toEqual([0, true]);
  });

  it('colours FAIL red with real SGR codes, and its detail lines carry none', async () => {
    const r = await runMapek(['run', CRASH], {}, TTY);
    const [head = '', ...details] = r.out.trimEnd().split('\n');

    expect([r.code, head.startsWith(`${RED_FAIL}  crash-noop  seed 7`)]).toEqual([1, true]);
    expect(details.some((l) => RAW_CONTROL.test(l))).toBe(false);
  });

  it('colours the verdict of a sweep over seeds', async () => {
    const r = await runMapek(['run', RANDOM, '--seeds', '1..2', '--workers', '1'], {}, TTY);

    expect(r.out.startsWith(`${GREEN_PASS}  random-noop  seeds 1..2 (all passed)`)).toBe(true);
  });

  it('still escapes an escape sequence and a bell in the scenario name', async () => {
    const r = await runMapek(['run', crashNamed('bell\u0007red\u001b[31m')], {}, TTY);
    const withoutVerdictColour = r.out.replace(RED_FAIL, 'FAIL');

    expect(r.out.startsWith(`${RED_FAIL}  bell\\u{7}red\\u{1B}[31m  seed 7`)).toBe(true);
    expect(RAW_CONTROL.test(withoutVerdictColour)).toBe(false);
  });

  it('keeps a line break in the scenario name on the verdict line, escaped', async () => {
    const r = await runMapek(['run', crashNamed('two\nlines')], {}, TTY);

    expect(r.out.split('\n')[0]?.startsWith(`${RED_FAIL}  two\\u{A}lines  seed 7`)).toBe(true);
  });
});

describe('mapek run without colour', () => {
  it('prints no control character with NO_COLOR on a terminal', async () => {
    const r = await runMapek(['run', CRASH], { NO_COLOR: '1' }, TTY);

    expect([r.out.startsWith('FAIL  crash-noop'), RAW_CONTROL.test(r.out)]).toEqual([true, false]);
  });

  it('prints no control character when stdout is not a terminal', async () => {
    const r = await runMapek(['run', HEALTHY], {}, { stdoutIsTTY: false });

    expect([r.out.startsWith('PASS  healthy-noop'), RAW_CONTROL.test(r.out)]).toEqual([true, false]);
  });
});
