/** The ways a MAPE-K cycle or its configuration can fail, as the seed API names them. */
export type MapekErrorKind =
  | 'MonitorFailed'
  | 'AnalyzeFailed'
  | 'PlanFailed'
  | 'ExecuteFailed'
  | 'KnowledgeUpdateFailed'
  | 'CycleTimeout'
  | 'InvalidConfig';

/**
 * Why a knowledge file could not be used: unreadable or unwritable on disk, not JSON (`corrupt`), JSON that
 * is not a mapek knowledge file (`foreign`), or a knowledge file of a version this build does not read.
 */
export type KnowledgeFileProblem = 'unreadable' | 'unwritable' | 'corrupt' | 'foreign' | 'version';

/** A MAPE-K failure as a value: a stable `kind`, a message naming the API or field, and optional detail. */
export interface MapekError {
  readonly kind: MapekErrorKind;
  readonly message: string;
  /** The configuration field at fault (InvalidConfig), or the phase that failed or hung. */
  readonly field?: string;
  /** For knowledge file errors: what is wrong with the file. */
  readonly problem?: KnowledgeFileProblem;
  /** The file a knowledge error is about. */
  readonly path?: string;
  readonly cause?: unknown;
}

/** Builds a MapekError. */
export const mapekError = (
  kind: MapekErrorKind,
  message: string,
  extra: Omit<MapekError, 'kind' | 'message'> = {},
): MapekError => ({
  kind,
  message,
  ...extra,
});
