import { describe, expect, it } from 'vitest';
import { terminalLine } from '../../src/base/control-characters.ts';
import { runCli } from '../../src/cli/cli.ts';
import { CliContext } from '../../src/cli/cli-context.ts';
import { EXIT, worstExit } from '../../src/cli/exit-codes.ts';
import { fakeIo } from '../support/cli-io.ts';

describe('exit codes', () => {
  it('keep the most severe outcome', () => {
    expect([
      worstExit(EXIT.ok, EXIT.sloViolated),
      worstExit(EXIT.invalidInput, EXIT.sloViolated),
      worstExit(EXIT.internal, EXIT.invalidInput),
    ]).toEqual([1, 2, 3]);
  });
});

describe('internal errors', () => {
  it('print a short message and exit 3, without a stack by default', () => {
    const { io, err } = fakeIo();
    const ctx = new CliContext(io);

    ctx.internalError('while testing', new Error('boom'));

    expect(ctx.exitCode).toBe(3);
    expect(err.join('')).toBe(
      'mapek: internal error while testing: boom\n  (set MAPEK_DEBUG=1 to see the stack)\n',
    );
  });

  it('print the stack with MAPEK_DEBUG=1', () => {
    const { io, err } = fakeIo({ MAPEK_DEBUG: '1' });
    const ctx = new CliContext(io);

    ctx.internalError('while testing', new Error('boom'));

    expect(err.join('')).toMatch(/Error: boom\n\s+at /);
  });
});

describe('printing', () => {
  it('escapes control characters in plain lines, and keeps the ones a styled line was made with', () => {
    const { io, out } = fakeIo();
    const ctx = new CliContext(io);

    ctx.print('a\u001b[31mb');
    ctx.printStyled(terminalLine('x\u001b[31my', (t) => `\u001b[1m${t}\u001b[22m`));

    expect(out).toEqual(['a\\u{1B}[31mb\n', '\u001b[1mx\\u{1B}[31my\u001b[22m\n']);
  });
});

describe('runCli in-process', () => {
  it('prints the version and exits 0', async () => {
    const { io, out } = fakeIo();

    const code = await runCli(['node', 'mapek', '--version'], io);

    expect(code).toBe(0);
    expect(out.join('')).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 on a usage error', async () => {
    const { io, err } = fakeIo();

    const code = await runCli(['node', 'mapek', 'run'], io);

    expect(code).toBe(2);
    expect(err.join('')).toMatch(/missing required argument/);
  });
});

// Usage handling is commander's plus ours; running it in-process keeps these many cases cheap.
describe('usage errors exit 2 without a stack', () => {
  const HEALTHY = 'test/fixtures/healthy-noop.yaml';

  it.each([
    ['an unknown option', ['run', HEALTHY, '--frobnicate']],
    ['--seed and --seeds together', ['run', HEALTHY, '--seed', '1', '--seeds', '1..2']],
    ['a backwards seed range', ['run', HEALTHY, '--seeds', '5..1']],
    ['a seed that is not a number', ['run', HEALTHY, '--seed', 'abc']],
    ['an unknown policy', ['run', HEALTHY, '--policy', 'chaos-monkey']],
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['a missing argument', ['run']],
  ])('%s', async (_label, args) => {
    const { io, err, out } = fakeIo();

    const code = await runCli(['node', 'mapek', ...args], io);

    expect(code).toBe(2);
    expect(out.join('')).toBe('');
    expect(err.join('')).toMatch(/error|Usage:/i);
    expect(err.join('')).not.toMatch(/\n\s+at /);
  });
});

describe('--help', () => {
  it.each([['run'], ['validate'], ['schema'], ['replay']])(
    'mapek %s --help exits 0 with its usage',
    async (command) => {
      const { io, out } = fakeIo();

      const code = await runCli(['node', 'mapek', command, '--help'], io);

      expect(code).toBe(0);
      expect(out.join('')).toMatch(new RegExp(`^Usage: mapek ${command}`));
    },
  );

  it('mapek --help lists every command', async () => {
    const { io, out } = fakeIo();

    const code = await runCli(['node', 'mapek', '--help'], io);

    expect(code).toBe(0);
    for (const command of ['run', 'validate', 'schema', 'replay'])
      expect(out.join('')).toContain(`  ${command} `);
  });
});
