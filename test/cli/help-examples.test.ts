import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { HELP_EXAMPLES } from '../../src/cli/help-examples.ts';
import { runMapek } from '../support/cli-io.ts';

describe('every subcommand help', () => {
  it.each(COMMANDS.map((c) => c.name))('%s --help ends with examples of itself', async (name) => {
    const r = await runMapek([name, '--help']);

    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`\\nExamples:\\n {2}mapek ${name} `));
  });

  it('has examples for exactly the registered commands', () => {
    expect(Object.keys(HELP_EXAMPLES).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });
});
