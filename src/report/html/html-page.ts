const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and attribute values. */
export const esc = (text: string | number): string =>
  String(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/**
 * The stylesheet: system fonts only (nothing to fetch), a layout that reads at a laptop's width, and print
 * rules so the browser's "Save as PDF" gives whole sections on white.
 */
const STYLE = `
:root { color-scheme: light; --fg: #1b1b1b; --muted: #5b5b5b; --line: #d0d0d0; --pass: #009E73; --fail: #D55E00; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: #fff; margin: 0 auto; padding: 16px 24px 48px; max-width: 1280px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.lead { color: var(--muted); margin: 0 0 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 4px; font-weight: 600; color: #fff; font-size: 13px; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.cmd { background: #f4f4f4; border: 1px solid var(--line); border-radius: 4px; padding: 6px 10px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; }
th { font-weight: 600; color: var(--muted); } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 600; }
.badge.pass, .badge.fail { color: #fff; }
.cards { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 8px 0 4px; }
.card b { display: block; font-size: 18px; } .card span { color: var(--muted); font-size: 12px; }
figure { margin: 8px 0 16px; } figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
svg { display: block; width: 100%; height: auto; font-family: inherit; }
svg.bench-bars { max-width: 860px; } figure.hist { width: 480px; max-width: 100%; }
svg text { fill: var(--fg); font-size: 11px; } svg .axis text { fill: var(--muted); font-size: 10px; }
svg .grid { stroke: #ececec; } svg .frame { fill: none; stroke: var(--line); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; margin: 4px 0; }
.legend i { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: baseline; border: 1px solid #0003; }
.note { color: var(--muted); font-size: 12.5px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-after: avoid; } figure, table, .keep { break-inside: avoid; }
  pre.cmd { background: none; }
  a { color: inherit; text-decoration: none; }
}
`;

/** A whole self-contained page: inline style, no script, nothing fetched when it is viewed. */
export const htmlPage = (title: string, body: string): string =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mapek report">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;

/** A table from a header row and body rows of ready HTML cells; `num` marks right-aligned columns. */
export const table = (
  head: readonly string[],
  rows: readonly (readonly string[])[],
  num: ReadonlySet<number> = new Set(),
  attrs = '',
): string => {
  const cls = (i: number) => (num.has(i) ? ' class="num"' : '');
  return `<div class="scroll"><table${attrs}><thead><tr>${head.map((h, i) => `<th${cls(i)}>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
};
