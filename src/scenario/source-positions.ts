import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { PathSegment, SourcePosition } from './load-error.ts';

/** The 1-based line and column of a character offset. */
export const positionOf = (lc: LineCounter, offset: number): SourcePosition => {
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
};

/** Where a field sits in the source: the value, or its key when asked for (unknown keys point at the key). */
export type Locate = (path: readonly PathSegment[], at?: 'value' | 'key') => SourcePosition | null;

const startOf = (node: unknown): number | undefined => {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as Node).range;
  return range?.[0];
};

/**
 * Builds a locator over one parsed document. A path that leaves the document (a required field that is
 * missing) resolves to the deepest node it reaches: the mapping the field is missing from.
 */
export const locator = (document: Document.Parsed, lineCounter: LineCounter): Locate => {
  const toPosition = (offset: number): SourcePosition => positionOf(lineCounter, offset);
  return (path, at = 'value') => {
    let node: unknown = document.contents;
    let best = startOf(node);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isAlias(node)) node = node.resolve(document);
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
        if (pair === undefined) break;
        const keyStart = startOf(pair.key);
        const last = i === path.length - 1;
        if (last && at === 'key' && keyStart !== undefined) return toPosition(keyStart);
        const valueStart = startOf(pair.value);
        // `field:` with nothing after it has a null value placed after the colon: point at the key.
        const empty = isScalar(pair.value) && pair.value.value === null && pair.value.source === '';
        best = valueStart !== undefined && !empty ? valueStart : (keyStart ?? best);
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        const start = startOf(item);
        if (item === undefined || start === undefined) break;
        best = start;
        node = item;
      } else {
        break;
      }
    }
    return best === undefined ? null : toPosition(best);
  };
};
