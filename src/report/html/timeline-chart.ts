import type { ServiceSeries } from '../../timeline/series.ts';
import { formatAt, formatMs } from './format-time.ts';
import { esc } from './html-page.ts';
import { faultColour, OKABE_ITO, OUTCOME_STYLE, seriesColour } from './palette.ts';
import { linear, type Scale, stepPath, timeLabel, timeTicks, valueTicks } from './svg-scale.ts';
import { type PanelDef, type PanelId, panelsFor } from './timeline-panels.ts';

export { PANELS, type PanelId, panelsFor } from './timeline-panels.ts';

/** A fault as the timeline draws it. */
export interface ChartFault {
  readonly id: string;
  readonly kind: string;
  readonly targets: readonly string[];
  readonly injectedAtMs: number;
  readonly clearedAtMs: number | null;
  readonly recoveredAtMs: number | null;
}

/** A controller action as the timeline draws it. */
export interface ChartAction {
  readonly id: number;
  readonly kind: string;
  readonly target: string;
  readonly by: string;
  readonly startedAtMs: number;
  readonly finishedAtMs: number | null;
  readonly outcome: 'succeeded' | 'failed' | 'unfinished';
  readonly failure: string | null;
}

/** A detection as the timeline draws it. */
export interface ChartDetection {
  readonly atMs: number;
  readonly component: string;
  readonly diagnosis: string;
}

/** An SLO drawn as a horizontal line on the panel of its metric. */
export interface ChartThreshold {
  readonly panel: PanelId;
  /** In the panel's unit. */
  readonly value: number;
  readonly label: string;
}

/** What the timeline draws. */
export interface TimelineData {
  readonly endMs: number;
  readonly faults: readonly ChartFault[];
  readonly detections: readonly ChartDetection[];
  readonly actions: readonly ChartAction[];
  readonly levelChanges: readonly { readonly atMs: number; readonly ok: boolean }[] | null;
  readonly series: readonly ServiceSeries[];
  readonly thresholds: readonly ChartThreshold[];
}

const W = 1000;
const LEFT = 150;
const RIGHT = 14;
const PANEL_H = 110;
const GAP = 26;
const ROW_H = 15;

/** Lays faults out in rows so that overlapping ones do not hide each other. */
const faultRows = (faults: readonly ChartFault[], endMs: number): number[] => {
  const rowEnds: number[] = [];
  return faults.map((f) => {
    const end = f.clearedAtMs ?? endMs;
    let row = rowEnds.findIndex((e) => e <= f.injectedAtMs);
    if (row < 0) row = rowEnds.push(end) - 1;
    else rowEnds[row] = end;
    return row;
  });
};

const title = (text: string) => `<title>${esc(text)}</title>`;

const timeAxis = (x: Scale, top: number, bottom: number, endMs: number): string => {
  const ticks = timeTicks(endMs);
  return `<g class="axis">${ticks
    .map(
      (t) =>
        `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${bottom}"/><text x="${x(t)}" y="${top - 3}" text-anchor="middle">${esc(timeLabel(t, endMs))}</text><text x="${x(t)}" y="${bottom + 13}" text-anchor="middle">${esc(timeLabel(t, endMs))}</text>`,
    )
    .join(
      '',
    )}<text x="${W - RIGHT}" y="${bottom + 26}" text-anchor="end">sim time since start (${endMs < 3_600_000 ? 'm:ss' : 'h:mm'})</text></g>`;
};

const lanes = (d: TimelineData, x: Scale, top: number) => {
  const rows = faultRows(d.faults, d.endMs);
  const faultH = Math.max(1, ...rows.map((r) => r + 1)) * ROW_H;
  const out: string[] = [];
  out.push(`<text x="${LEFT - 8}" y="${top + 11}" text-anchor="end">faults</text>`);
  for (const [i, f] of d.faults.entries()) {
    const x0 = x(f.injectedAtMs);
    const x1 = Math.max(x0 + 2, x(f.clearedAtMs ?? d.endMs));
    const y0 = top + (rows[i] ?? 0) * ROW_H;
    // Past the recovery tick when the fault healed within the label's width, so the tick does not cross it.
    const tick = f.recoveredAtMs === null ? null : x(f.recoveredAtMs);
    const labelX = tick !== null && tick - x0 < 16 ? Math.max(x0 + 3, tick + 4) : x0 + 3;
    const tip = `${f.id} ${f.kind} on ${f.targets.join(', ') || '–'}: injected ${formatAt(f.injectedAtMs)}, cleared ${f.clearedAtMs === null ? 'never' : formatAt(f.clearedAtMs)}, recovered ${f.recoveredAtMs === null ? 'never' : formatAt(f.recoveredAtMs)}`;
    out.push(
      `<g class="fault-band" data-fault="${esc(f.id)}" data-kind="${esc(f.kind)}"><rect x="${x0}" y="${y0 + 1}" width="${(x1 - x0).toFixed(1)}" height="${ROW_H - 3}" fill="${faultColour(f.kind)}" fill-opacity="0.55" stroke="${faultColour(f.kind)}"/>${
        x1 - labelX > 20 ? `<text x="${labelX}" y="${y0 + 11}" font-size="10">${esc(f.id)}</text>` : ''
      }${title(tip)}</g>`,
    );
    if (f.recoveredAtMs !== null && f.recoveredAtMs > f.injectedAtMs) {
      out.push(
        `<line class="recovered-tick" x1="${x(f.recoveredAtMs)}" x2="${x(f.recoveredAtMs)}" y1="${y0}" y2="${y0 + ROW_H - 1}" stroke="${OKABE_ITO.black}" stroke-width="2">${title(`${f.id} recovered at ${formatAt(f.recoveredAtMs)}`)}</line>`,
      );
    }
  }
  let y = top + faultH + 8;
  // The ground-truth level: a strip, dark where some service is below its healthy level.
  if (d.levelChanges !== null) {
    out.push(`<text x="${LEFT - 8}" y="${y + 10}" text-anchor="end">level (truth)</text>`);
    out.push(`<rect x="${LEFT}" y="${y + 1}" width="${W - LEFT - RIGHT}" height="11" fill="#e6f4ee"/>`);
    let from: number | null = null;
    const seg = (a: number, b: number) =>
      `<rect class="level-down" x="${x(a)}" y="${y + 1}" width="${Math.max(1, x(b) - x(a)).toFixed(1)}" height="11" fill="${OKABE_ITO.vermillion}">${title(`below the healthy level ${formatAt(a)} to ${formatAt(b)} (${formatMs(b - a)})`)}</rect>`;
    for (const c of d.levelChanges) {
      if (!c.ok && from === null) from = c.atMs;
      else if (c.ok && from !== null) {
        out.push(seg(from, c.atMs));
        from = null;
      }
    }
    if (from !== null) out.push(seg(from, d.endMs));
    y += 20;
  }
  // The loop: detections (triangles) above, actions (by outcome) below, stacked where they crowd.
  out.push(`<text x="${LEFT - 8}" y="${y + 10}" text-anchor="end">detections</text>`);
  for (const det of d.detections) {
    const cx = x(det.atMs);
    out.push(
      `<path class="detection-marker" d="M${cx - 5} ${y + 1}H${cx + 5}L${cx} ${y + 10}Z" fill="${OKABE_ITO.black}">${title(`detected ${det.diagnosis} on ${det.component} at ${formatAt(det.atMs)}`)}</path>`,
    );
  }
  y += 16;
  out.push(`<text x="${LEFT - 8}" y="${y + 10}" text-anchor="end">actions</text>`);
  const rowLast: number[] = [];
  let actionRows = 1;
  for (const a of d.actions) {
    const cx = x(a.startedAtMs);
    let row = rowLast.findIndex((last) => cx - last >= 10);
    if (row < 0 || row > 3) row = rowLast.length < 4 ? rowLast.length : 3;
    rowLast[row] = cx;
    actionRows = Math.max(actionRows, row + 1);
    const cy = y + 6 + row * 12;
    const s = OUTCOME_STYLE[a.outcome];
    const tip = `action ${a.id} ${a.kind} ${a.target} by ${a.by}: ${a.outcome}${a.failure === null ? '' : ` (${a.failure})`}, started ${formatAt(a.startedAtMs)}${a.finishedAtMs === null ? '' : `, took ${formatMs(a.finishedAtMs - a.startedAtMs)}`}`;
    const shape =
      a.outcome === 'failed'
        ? `<path d="M${cx - 4} ${cy - 4}L${cx + 4} ${cy + 4}M${cx - 4} ${cy + 4}L${cx + 4} ${cy - 4}" stroke="${s.colour}" stroke-width="2.2"/>`
        : `<circle cx="${cx}" cy="${cy}" r="4.2" fill="${a.outcome === 'succeeded' ? s.colour : '#fff'}" stroke="${s.colour}" stroke-width="1.6"/>`;
    const dur =
      a.finishedAtMs !== null && x(a.finishedAtMs) - cx > 2
        ? `<line x1="${cx}" x2="${x(a.finishedAtMs)}" y1="${cy}" y2="${cy}" stroke="${s.colour}" stroke-opacity="0.5" stroke-width="2"/>`
        : '';
    out.push(
      `<g class="action-marker" data-action="${a.id}" data-outcome="${a.outcome}">${dur}${shape}${title(tip)}</g>`,
    );
  }
  y += actionRows * 12 + 6;
  return { svg: out.join(''), bottom: y };
};

const panel = (p: PanelDef, d: TimelineData, x: Scale, top: number): string => {
  const values: number[] = [];
  const lines: { path: string; colour: string; dash?: string; label: string }[] = [];
  for (const [si, s] of d.series.entries()) {
    for (const l of p.lines) {
      const col = s.columns[l.metric];
      if (col === undefined) continue;
      const v = l.scale === undefined ? col : col.map(l.scale);
      values.push(...v);
      lines.push({
        path: '',
        colour: seriesColour(si),
        ...(l.dash === undefined ? {} : { dash: l.dash }),
        label: `${s.service}${l.label === undefined ? '' : ` ${l.label}`}`,
      });
    }
  }
  const thresholds = d.thresholds.filter((t) => t.panel === p.id);
  const all = [...values, ...thresholds.map((t) => t.value)];
  let lo = p.floor ?? Math.min(...all);
  let hi = p.ceiling ?? Math.max(...all);
  if (p.ceiling !== undefined) lo = Math.min(lo, p.ceiling - 0.5);
  if (!(hi > lo)) hi = lo + 1;
  else if (p.ceiling === undefined) hi += (hi - lo) * 0.08;
  if (p.floor === undefined) lo -= (hi - lo) * 0.04;
  const y = linear(lo, hi, top + PANEL_H, top);
  const out: string[] = [`<g class="panel" data-panel="${p.id}">`];
  out.push(`<text x="${LEFT}" y="${top - 6}" font-weight="600">${esc(p.title)} (${esc(p.unit)})</text>`);
  out.push(`<rect class="frame" x="${LEFT}" y="${top}" width="${W - LEFT - RIGHT}" height="${PANEL_H}"/>`);
  out.push('<g class="axis">');
  for (const v of valueTicks(lo, hi)) {
    out.push(
      `<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${y(v)}" y2="${y(v)}"/><text x="${LEFT - 6}" y="${y(v) + 3}" text-anchor="end">${esc(Number(v.toPrecision(6)))}</text>`,
    );
  }
  out.push('</g>');
  let li = 0;
  for (const s of d.series) {
    for (const l of p.lines) {
      const col = s.columns[l.metric];
      if (col === undefined) continue;
      const line = lines[li++];
      if (line === undefined) continue;
      const v = l.scale === undefined ? col : col.map(l.scale);
      out.push(
        `<path class="series-line" d="${stepPath(s.t, v, x, y, d.endMs)}" fill="none" stroke="${line.colour}" stroke-width="1.6"${line.dash === undefined ? '' : ` stroke-dasharray="${line.dash}"`}>${title(line.label)}</path>`,
      );
    }
  }
  for (const t of thresholds) {
    out.push(
      `<g class="slo-line"><line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(t.value)}" y2="${y(t.value)}" stroke="${OKABE_ITO.black}" stroke-dasharray="6 3" stroke-width="1.2"/><text x="${W - RIGHT - 4}" y="${y(t.value) - 3}" text-anchor="end" font-size="10">${esc(t.label)}</text></g>`,
    );
  }
  out.push('</g>');
  return out.join('');
};

/** The run's timeline as one SVG: fault bands, the level, the loop's markers, then a panel per metric. */
export const timelineSvg = (d: TimelineData): string => {
  const x = linear(0, Math.max(1, d.endMs), LEFT, W - RIGHT);
  const top = 16;
  const lane = lanes(d, x, top);
  const panels = panelsFor(d.series);
  let y = lane.bottom + GAP;
  const body: string[] = [];
  for (const p of panels) {
    body.push(panel(p, d, x, y));
    y += PANEL_H + GAP;
  }
  const bottom = y - GAP;
  // Faults shade every panel lightly, so a dip lines up with its cause.
  const shades = d.faults
    .map(
      (f) =>
        `<rect class="fault-shade" x="${x(f.injectedAtMs)}" y="${lane.bottom}" width="${Math.max(1, x(f.clearedAtMs ?? d.endMs) - x(f.injectedAtMs)).toFixed(1)}" height="${bottom - lane.bottom}" fill="${faultColour(f.kind)}" fill-opacity="0.12"/>`,
    )
    .join('');
  const height = bottom + 34;
  return `<svg class="timeline" viewBox="0 0 ${W} ${height}" role="img" aria-label="Run timeline: faults, the ground-truth level, detections and actions, and service metrics over sim time" xmlns="http://www.w3.org/2000/svg">${timeAxis(x, top, bottom, d.endMs)}${shades}${lane.svg}${body.join('')}</svg>`;
};

/** The legend under the timeline: services, fault kinds present, markers. */
export const timelineLegend = (d: TimelineData): string => {
  const kinds = [...new Set(d.faults.map((f) => f.kind))];
  const item = (colour: string, label: string, style = '') =>
    `<span><i style="background:${colour};${style}"></i>${esc(label)}</span>`;
  return `<div class="legend">${[
    ...d.series.map((s, i) => item(seriesColour(i), `service ${s.service}`)),
    ...kinds.map((k) => item(faultColour(k), k)),
    item(OKABE_ITO.black, 'detection (triangle)'),
    ...Object.values(OUTCOME_STYLE).map((s) => item(s.colour, s.label)),
    item(OKABE_ITO.vermillion, 'below healthy level (ground truth)'),
    item('#fff', 'SLO threshold (dashed)', 'border-top:2px dashed #000;height:0'),
  ].join('')}</div>`;
};
