/** A duration in sim ms for people: `200 ms`, `3.31 s`, `4 min 12 s`, `2 h 05 min`. */
export const formatMs = (ms: number | null | undefined): string => {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    return `${m} min ${Math.round((ms - m * 60_000) / 1000)} s`;
  }
  const h = Math.floor(ms / 3_600_000);
  return `${h} h ${String(Math.round((ms - h * 3_600_000) / 60_000)).padStart(2, '0')} min`;
};

/** An instant of sim time as a clock from the start of the run: `0:04:12.2`. */
export const formatAt = (ms: number | null | undefined): string => {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h}:${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
};

/** A ratio as a percentage with enough digits to tell 99.9 % from 99.99 %. */
export const formatPercent = (ratio: number | null | undefined, digits = 3): string =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio)
    ? '–'
    : `${(ratio * 100).toFixed(digits)} %`;
