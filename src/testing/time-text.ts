import { formatDuration } from '../base/duration.ts';

/** A sim-time span or instant as a scenario file writes it: `0s`, `45s`, `2m30s` (never `0ms`). */
export const timeText = (ms: number): string => (ms === 0 ? '0s' : formatDuration(ms));
