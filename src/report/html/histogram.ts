import { formatMs } from './format-time.ts';
import { esc } from './html-page.ts';
import { OKABE_ITO } from './palette.ts';
import { linear, valueTicks } from './svg-scale.ts';

const W = 480;
const H = 190;
const L = 44;
const B = 34;

/**
 * A histogram of times (ms) as SVG, with the empirical CDF drawn over it (right axis, 0-100 %), and the
 * count that never got there (never detected or never recovered) said in the caption, since it has no bar.
 */
export const timeHistogram = (label: string, times: readonly number[], never: number): string => {
  if (times.length === 0) {
    return `<figure class="hist"><p class="note">${esc(label)}: no fault to measure${never > 0 ? ` (${never} never got there)` : ''}.</p></figure>`;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const max = Math.max(1, sorted[sorted.length - 1] ?? 1);
  const ticks = valueTicks(0, max, 6);
  const step = (ticks[1] ?? max) - (ticks[0] ?? 0) || max;
  const bins = Math.max(1, Math.ceil(max / (step / 2)));
  const width = (max * 1.0001) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const t of sorted) {
    const i = Math.min(bins - 1, Math.floor(t / width));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const x = linear(0, bins * width, L, W - 40);
  const y = linear(0, Math.max(...counts), H - B, 12);
  const cdfY = linear(0, 1, H - B, 12);
  const bars = counts
    .map(
      (c, i) =>
        `<rect class="bar" x="${x(i * width) + 0.5}" y="${y(c)}" width="${Math.max(0.5, x((i + 1) * width) - x(i * width) - 1).toFixed(1)}" height="${(H - B - y(c)).toFixed(1)}" fill="${OKABE_ITO.skyBlue}"><title>${esc(`${formatMs(i * width)} to ${formatMs((i + 1) * width)}: ${c}`)}</title></rect>`,
    )
    .join('');
  const cdf = sorted
    .map(
      (t, i) => `${i === 0 ? 'M' : 'L'}${x(t)} ${cdfY(i / sorted.length)}V${cdfY((i + 1) / sorted.length)}`,
    )
    .join('');
  const axis = ticks
    .map(
      (t) =>
        `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="12" y2="${H - B}"/><text x="${x(t)}" y="${H - B + 13}" text-anchor="middle">${esc(formatMs(t))}</text>`,
    )
    .join('');
  const yAxis = valueTicks(0, Math.max(...counts), 4)
    .map((c) => `<text x="${L - 5}" y="${y(c) + 3}" text-anchor="end">${c}</text>`)
    .join('');
  const pctAxis = [0, 0.5, 1]
    .map((p) => `<text x="${W - 36}" y="${cdfY(p) + 3}">${p * 100} %</text>`)
    .join('');
  return `<figure class="hist keep"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)} histogram" xmlns="http://www.w3.org/2000/svg"><g class="axis">${axis}${yAxis}${pctAxis}<text x="${(L + W - 40) / 2}" y="${H - 4}" text-anchor="middle">${esc(label)}</text></g>${bars}<path class="cdf" d="${cdf}" fill="none" stroke="${OKABE_ITO.black}" stroke-width="1.4"/><rect class="frame" x="${L}" y="12" width="${W - 40 - L}" height="${H - B - 12}"/></svg>
<figcaption>${esc(label)}: ${sorted.length} faults (bars: count per bin; line: share at or below, right axis)${never > 0 ? `; <b>${never} never got there</b>, not drawn` : ''}.</figcaption></figure>`;
};
