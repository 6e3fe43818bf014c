import { describe, expect, it } from 'vitest';
import { compactJson } from '../../src/report/compact-json.ts';

describe('compact JSON', () => {
  it('writes what JSON.stringify(v, null, 2) writes, but arrays of numbers on one line', () => {
    const value = {
      a: [1, 2.5, -3e-7],
      b: [{ c: 'x', d: undefined }, 'y', null],
      e: {},
      f: [],
      g: [[1, 2], ['z']],
    };

    expect(compactJson(value)).toBe(
      '{\n  "a": [1, 2.5, -3e-7],\n  "b": [\n    {\n      "c": "x"\n    },\n    "y",\n    null\n  ],\n  "e": {},\n  "f": [],\n  "g": [\n    [1, 2],\n    [\n      "z"\n    ]\n  ]\n}',
    );
  });

  it('reads back to the same data', () => {
    const value = {
      series: [{ t: [0, 1000, 2000], columns: { servedRps: [10, 9.5, 10] } }],
      ok: true,
      n: null,
    };

    expect(JSON.parse(compactJson(value))).toEqual(value);
    expect(compactJson([undefined, 1])).toBe(JSON.stringify([undefined, 1], null, 2));
  });
});
