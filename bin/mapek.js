#!/usr/bin/env node
// Runs the compiled CLI in dist/, which `npm run build` writes (`npm ci` runs it through `prepare`; the
// published package ships it). To run the sources without building: `npm run dev -- <args>`.
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';

const args = process.argv.slice(2);
// `mapek --version` is what scripts and bug reports ask first: answer it without loading the whole CLI
// (the same text commander prints for it).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
  process.exit(0);
}

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('mapek: dist/ is missing: run `npm run build` first (or `npm run dev -- <args>`)\n');
  process.exit(3);
}
// Node 22.1+ keeps the compiled bytecode of every module between runs: a faster start, nothing else.
module.enableCompileCache?.();
await import(main.href);
