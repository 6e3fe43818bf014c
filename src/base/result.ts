/** A value or a typed error: expected failures travel as data, never as thrown strings. */
export type Result<T, E> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** Wraps a success value. */
export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

/** Wraps a typed error. */
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });
