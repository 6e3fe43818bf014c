import { describe, expect, it } from 'vitest';
import { erlangC, mmcMeanWaitMs, mmcWaitTail } from '../../../src/cluster/queueing/erlang-c.ts';

// Textbook Erlang C: (a^c / c!) / (1 - rho) over sum_{k<c} a^k / k! + (a^c / c!) / (1 - rho). Fine for small c.
const erlangCBySum = (c: number, a: number): number => {
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const tail = term / (1 - a / c);
  return tail / (sum + tail);
};

describe('Erlang C (M/M/c probability of waiting)', () => {
  it('c = 2, a = 1.5: C = 4.5 / 7 = 9/14 by hand', () => {
    expect(erlangC(2, 1.5)).toBeCloseTo(9 / 14, 12);
  });

  it('c = 1 reduces to M/M/1: C = rho', () => {
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
  });

  it('matches the textbook sum for c = 8, a = 6.4 (a 400 rps, 20 ms replica at 80 %): 0.457645', () => {
    expect(erlangC(8, 6.4)).toBeCloseTo(erlangCBySum(8, 6.4), 12);
    expect(erlangC(8, 6.4)).toBeCloseTo(0.4576449254, 9);
  });

  it('stays finite and exact at c = 1000, a = 950, where a^c / c! overflows a double (log-space value 0.0682534)', () => {
    expect(erlangCBySum(1000, 950)).toBeNaN();

    expect(erlangC(1000, 950)).toBeCloseTo(0.06825341537714237, 10);
  });

  it('is 0 with no load and 1 at saturation', () => {
    expect(erlangC(4, 0)).toBe(0);
    expect(erlangC(4, 4)).toBe(1);
    expect(erlangC(4, 9)).toBe(1);
  });

  it('rejects a non-integer or zero worker count', () => {
    expect(() => erlangC(0, 0.5)).toThrow(RangeError);
    expect(() => erlangC(2.5, 0.5)).toThrow(/servers must be an integer/);
  });
});

describe('M/M/c waiting time', () => {
  it('c = 2, lambda = 1.5/s, mu = 1/s: W_q = C / (c mu - lambda) = (9/14) / 0.5 s = 1285.714 ms', () => {
    expect(mmcMeanWaitMs(2, 1.5, 1)).toBeCloseTo(9000 / 7, 9);
  });

  it('the tail is C exp(-(c mu - lambda) t): P(W > 2 s) = (9/14) e^-1', () => {
    expect(mmcWaitTail(2, 1.5, 1, 2000)).toBeCloseTo((9 / 14) * Math.exp(-1), 12);
    expect(mmcWaitTail(2, 1.5, 1, 0)).toBeCloseTo(9 / 14, 12);
  });

  it('has no steady state at or above saturation', () => {
    expect(mmcMeanWaitMs(2, 2, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(mmcWaitTail(2, 3, 1, 10_000)).toBe(1);
  });
});
