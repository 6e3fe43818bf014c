import { ACTION_CATALOG, type ActionKind, type ActionRequest } from '../cluster/actions.ts';
import type { ExpandContext, Strategy } from './strategy.ts';
import type { RecoveryAction } from './types.ts';

/** How a reversible action is undone, as data; actions missing here are not rolled back. */
const UNDO: {
  readonly [K in ActionKind]?: (r: Extract<ActionRequest, { kind: K }>) => ActionRequest;
} = {
  'drain-node': (r) => ({ kind: 'undrain-node', node: r.node }),
  'cordon-node': (r) => ({ kind: 'uncordon-node', node: r.node }),
  'scale-out': (r) => ({ kind: 'scale-in', service: r.service, count: r.count }),
  'shed-load': (r) => ({ kind: 'shed-load', service: r.service, fraction: 0 }),
  'set-retry-budget': (r) => ({ kind: 'set-retry-budget', service: r.service, budget: null }),
  'open-circuit': (r) => ({ kind: 'close-circuit', service: r.service, callee: r.callee }),
};

/** The request that undoes `request`, if it is reversible. */
export const undoOf = (request: ActionRequest): ActionRequest | undefined => {
  const undo = UNDO[request.kind] as ((r: ActionRequest) => ActionRequest) | undefined;
  return undo?.(request);
};

/** Expands a strategy into the plan's actions, or null when it does not apply to this failure now. */
export const expandStrategy = (strategy: Strategy, c: ExpandContext): RecoveryAction[] | null => {
  const expansion = strategy.expand(c);
  if (expansion === null) return null;
  const action = (request: ActionRequest, stage: number, background: boolean): RecoveryAction => ({
    type: ACTION_CATALOG[request.kind].type,
    request,
    stage,
    reversible: UNDO[request.kind] !== undefined,
    background,
  });
  return [
    ...expansion.stages.flatMap((requests, stage) => requests.map((r) => action(r, stage, false))),
    ...(expansion.background ?? []).map((r) => action(r, 0, true)),
  ];
};

/** Total cost of a plan's actions, from the effector catalog (per replica for scaling). */
export const costOf = (actions: readonly RecoveryAction[]): number =>
  actions.reduce((sum, a) => {
    const units = a.request.kind === 'scale-out' || a.request.kind === 'scale-in' ? a.request.count : 1;
    return sum + ACTION_CATALOG[a.request.kind].cost * units;
  }, 0);
