import type { ActionOutcome, ActionRequest } from '../../cluster/actions.ts';
import type { ControllerEffectors } from '../../world/controller.ts';

/**
 * Attempts the oracle makes of one request before it hands the failure on: effectors fail transiently with
 * the configured probability (2 % by default), independently per attempt, so five in a row is one chance in
 * three billion at the default rate.
 */
export const ORACLE_ATTEMPTS = 5;

/** Effectors that resend a request failing transiently, optionally only while it is still wanted. */
export interface RetryingEffectors extends ControllerEffectors {
  /**
   * As `execute`, but a retry is sent only while `wanted()` holds: a reboot that failed after the fault it was
   * for had ended must not be sent again. When it no longer holds, `onDone` sees the failed attempt.
   */
  executeWhile(
    request: ActionRequest,
    wanted: () => boolean,
    onDone?: (outcome: ActionOutcome) => void,
  ): number;
}

/**
 * Wraps effectors so a request that fails transiently (a flaky API, not a refusal such as no capacity or a
 * broken precondition) is sent again the instant its failure is known. The caller's `onDone` sees only the
 * last attempt. A bound must not lose time to bad luck: it retries at once, as no real policy could know to.
 */
export const retryTransient = (
  effectors: ControllerEffectors,
  attempts = ORACLE_ATTEMPTS,
): RetryingEffectors => {
  const executeWhile = (
    request: ActionRequest,
    wanted: () => boolean,
    onDone?: (outcome: ActionOutcome) => void,
  ): number => {
    let left = attempts;
    const attempt = (): number =>
      effectors.execute(request, (outcome: ActionOutcome) => {
        left--;
        if (!outcome.ok && outcome.failure.kind === 'transient' && left > 0 && wanted()) attempt();
        else onDone?.(outcome);
      });
    return attempt();
  };
  return { execute: (request, onDone) => executeWhile(request, () => true, onDone), executeWhile };
};
