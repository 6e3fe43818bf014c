import { describe, expect, it } from 'vitest';
import { escapeControlCharacters } from '../../src/base/control-characters.ts';

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
});
