import { describe, expect, it } from 'vitest';
import type { ActionFailure, ActionOutcome, ActionRequest } from '../../src/cluster/actions.ts';
import type { ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { retryTransient } from '../../src/policies/oracle/retry-transient.ts';
import type { ControllerEffectors } from '../../src/world/controller.ts';

/** Effectors that fail each request with the next failure in `failures`, then succeed. */
const scripted = (failures: (ActionFailure | null)[]) => {
  const calls: ActionRequest[] = [];
  const effectors: ControllerEffectors = {
    execute: (request, onDone) => {
      calls.push(request);
      const failure = failures.shift() ?? null;
      const base = { id: calls.length, request, startedAtMs: 0, finishedAtMs: 8_000 };
      onDone?.(failure === null ? { ...base, ok: true, lostWrites: 0 } : { ...base, ok: false, failure });
      return calls.length;
    },
  };
  return { effectors, calls };
};

const MOVE: ActionRequest = { kind: 'move-replica', replica: 'api-1' as ReplicaId };
const FLAKY: ActionFailure = { kind: 'transient', reason: 'the new replica did not start' };

describe('the oracle retries a transiently failed action at once', () => {
  it('sends the same request again and reports only the attempt that worked', () => {
    const { effectors, calls } = scripted([FLAKY, FLAKY, null]);
    const outcomes: ActionOutcome[] = [];

    retryTransient(effectors).execute(MOVE, (o) => outcomes.push(o));

    expect(calls).toEqual([MOVE, MOVE, MOVE]);
    expect(outcomes.map((o) => o.ok)).toEqual([true]);
  });

  it('does not retry a refusal (no capacity), and gives up after its attempts', () => {
    const refused = scripted([{ kind: 'no-capacity', service: 'api' as ServiceId }]);
    const hopeless = scripted([FLAKY, FLAKY, FLAKY]);
    const outcomes: ActionOutcome[] = [];

    retryTransient(refused.effectors).execute(MOVE, (o) => outcomes.push(o));
    retryTransient(hopeless.effectors, 3).execute(MOVE, (o) => outcomes.push(o));

    expect(refused.calls).toHaveLength(1);
    expect(hopeless.calls).toHaveLength(3);
    expect(outcomes.map((o) => o.ok)).toEqual([false, false]);
  });
});
