/** The ways a MAPE-K cycle or its configuration can fail, as the seed API names them. */
export type MapekErrorKind =
  | 'MonitorFailed'
  | 'AnalyzeFailed'
  | 'PlanFailed'
  | 'ExecuteFailed'
  | 'KnowledgeUpdateFailed'
  | 'CycleTimeout'
  | 'InvalidConfig';

/** A MAPE-K failure as a value: a stable `kind`, a message naming the API or field, and optional detail. */
export interface MapekError {
  readonly kind: MapekErrorKind;
  readonly message: string;
  /** The configuration field at fault (InvalidConfig), or the phase that failed. */
  readonly field?: string;
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
