#!/usr/bin/env node
// Runs the compiled CLI in dist/, which `npm run build` writes (`npm ci` runs it through `prepare`; the
// published package ships it). To run the sources without building: `npm run dev -- <args>`.
import { existsSync } from 'node:fs';
import module from 'node:module';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('mapek: dist/ is missing: run `npm run build` first (or `npm run dev -- <args>`)\n');
  process.exit(3);
}
// Node 22.1+ keeps the compiled bytecode of every module between runs: a faster start, nothing else.
module.enableCompileCache?.();
await import(main.href);
