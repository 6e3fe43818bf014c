import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One import statement of a source file: who imports what (paths relative to the root, `src/...`). */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  /** 1-based line of the specifier, for the failure message. */
  readonly line: number;
}

const SPECIFIER =
  /(?:^|[\s;}])(?:import|export)\s[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|[\s;])import\s*(?:\(\s*)?['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Every `.ts` file under `dir` (relative to the root), sorted. */
export const sourceFiles = (dir = 'src'): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f))
    .sort();

/** Blanks comments out (keeping line breaks), so an example in a TSDoc block is not an import. */
const withoutComments = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));

/** The relative imports (static, re-exports, type-only and dynamic) of every file under `src/`. */
export const importEdges = (files: readonly string[] = sourceFiles()): ImportEdge[] =>
  files.flatMap((from) => {
    const text = withoutComments(readFileSync(join(ROOT, from), 'utf8'));
    return [...text.matchAll(SPECIFIER)].map((m) => {
      const spec = m[1] ?? m[2] ?? '';
      const line = text.slice(0, m.index).split('\n').length;
      return { from, to: relative(ROOT, resolve(ROOT, dirname(from), spec)), line };
    });
  });
