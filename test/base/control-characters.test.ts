import { describe, expect, it } from 'vitest';
import { escapeControlCharacters, terminalLine } from '../../src/base/control-characters.ts';

describe('control characters', () => {
  it('escape the escape character, the bell, DEL, C1 and bidi overrides as visible text', () => {
    expect(escapeControlCharacters('a\u001b[31mb\u0007c\u007fd\u009be\u202ef')).toBe(
      'a\\u{1B}[31mb\\u{7}c\\u{7F}d\\u{9B}e\\u{202E}f',
    );
  });

  it('keep tabs, and newlines only when asked', () => {
    expect([escapeControlCharacters('a\tb\nc'), escapeControlCharacters('a\tb\nc', true)]).toEqual([
      'a\tb\\u{A}c',
      'a\tb\nc',
    ]);
  });

  it('make a terminal line whose only raw control characters are those its style adds', () => {
    const line = terminalLine(
      'PASS  a\u001b[2Jb\nc',
      (t) => `\u001b[32m${t.slice(0, 4)}\u001b[39m${t.slice(4)}`,
    );

    expect(line).toBe('\u001b[32mPASS\u001b[39m  a\\u{1B}[2Jb\\u{A}c');
  });
});
