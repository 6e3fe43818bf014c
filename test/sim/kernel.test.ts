import { describe, expect, it } from 'vitest';
import { SimKernel } from '../../src/sim/kernel.ts';

describe('SimKernel', () => {
  it('fires events in time order, ties in insertion order', () => {
    const kernel = new SimKernel();
    const fired: string[] = [];
    kernel.at(30, () => fired.push('c@30'));
    kernel.at(10, () => fired.push('a@10'));
    kernel.at(10, () => fired.push('b@10'));
    kernel.at(20, () => fired.push('x@20'));

    kernel.runUntil(100);

    expect(fired).toEqual(['a@10', 'b@10', 'x@20', 'c@30']);
  });

  it('fires timers scheduled while firing at the same instant in the same run, after those already queued', () => {
    const kernel = new SimKernel();
    const fired: string[] = [];
    kernel.at(5, () => {
      fired.push('first');
      kernel.after(0, () => {
        fired.push('cascade-1');
        kernel.after(0, () => fired.push('cascade-2'));
      });
    });
    kernel.at(5, () => fired.push('second'));

    kernel.runUntil(5);

    expect(fired).toEqual(['first', 'second', 'cascade-1', 'cascade-2']);
    expect(kernel.nowMs).toBe(5);
  });

  it('jumps the clock from event to event and ends at the requested time', () => {
    const kernel = new SimKernel();
    const seen: number[] = [];
    kernel.at(1_000, () => seen.push(kernel.nowMs));
    kernel.at(86_400_000, () => seen.push(kernel.nowMs));

    kernel.runUntil(100_000_000);

    expect(seen).toEqual([1_000, 86_400_000]);
    expect(kernel.firedCount).toBe(2);
    expect(kernel.nowMs).toBe(100_000_000);
  });

  it('never fires a cancelled timer, even one cancelled by an earlier event at the same instant', () => {
    const kernel = new SimKernel();
    const fired: string[] = [];
    const late = kernel.at(10, () => fired.push('late'));
    kernel.at(10, () => fired.push('kept'));
    kernel.at(5, () => kernel.cancel(late));
    let victim: ReturnType<SimKernel['at']> | undefined;
    kernel.at(20, () => {
      if (victim !== undefined) kernel.cancel(victim);
    });
    victim = kernel.at(20, () => fired.push('victim'));

    kernel.runUntil(30);

    expect(fired).toEqual(['kept']);
    expect(kernel.pendingCount).toBe(0);
  });

  it('leaves events after the horizon pending', () => {
    const kernel = new SimKernel();
    const fired: number[] = [];
    kernel.at(10, () => fired.push(10));
    kernel.at(11, () => fired.push(11));

    kernel.runUntil(10);

    expect(fired).toEqual([10]);
    expect(kernel.pendingCount).toBe(1);
    expect(kernel.nextEventAtMs()).toBe(11);
  });

  it('refuses to schedule into the past', () => {
    const kernel = new SimKernel();
    kernel.runUntil(100);

    expect(() => kernel.at(50, () => {})).toThrow(/already at 100 ms/);
  });

  it('runWhile stops as soon as the condition holds', () => {
    const kernel = new SimKernel();
    let count = 0;
    for (let t = 1; t <= 10; t++) kernel.at(t * 10, () => count++);

    const held = kernel.runWhile(() => count === 3, 1_000);

    expect(held).toBe(true);
    expect(kernel.nowMs).toBe(30);
  });

  it('keeps order across many random insertions (heap property)', () => {
    const kernel = new SimKernel();
    const times: number[] = [];
    let x = 12345;
    for (let i = 0; i < 2_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const t = x % 5_000;
      kernel.at(t, () => times.push(kernel.nowMs));
    }

    kernel.runUntil(10_000);

    expect(times).toHaveLength(2_000);
    expect(times.every((t, i) => i === 0 || (times[i - 1] ?? 0) <= t)).toBe(true);
  });
});
