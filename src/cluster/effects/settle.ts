import { err, ok, type Result } from '../../base/result.ts';
import type { ActionFailure } from '../actions.ts';
import { isAlive } from '../reach.ts';
import type { ClusterView } from './cluster-view.ts';
import type { CheckedCompletion, Completion, PlannedEffect } from './planned-effect.ts';
import { settlePromotion } from './promote-replica.ts';

/** How an action ended, and the effects that ending has. */
export interface Settlement {
  readonly result: Result<void, ActionFailure>;
  readonly effects: readonly PlannedEffect[];
}

/**
 * Settles an action at its completion time against the cluster as it is then: `succeeded` false is the
 * effector's transient failure, drawn at dispatch. Pure apart from `view.fold`.
 */
export const settle = (c: Completion, view: ClusterView, succeeded: boolean): Settlement =>
  c.kind === 'promotion' ? settlePromotion(c, view, succeeded) : settleChecked(c, view, succeeded);

const passes = (c: CheckedCompletion, view: ClusterView): boolean => {
  const check = c.check;
  switch (check.kind) {
    case 'none':
      return true;
    case 'node-up':
      return view.node(check.node)?.state === 'up';
    case 'replica-alive': {
      const r = view.replica(check.replica);
      return r !== undefined && isAlive(r);
    }
  }
};

const settleChecked = (c: CheckedCompletion, view: ClusterView, succeeded: boolean): Settlement =>
  succeeded && passes(c, view)
    ? { result: ok(undefined), effects: c.onSuccess }
    : { result: err({ kind: 'transient', reason: c.reason }), effects: c.onFailure };
