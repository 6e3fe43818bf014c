// `npm run build` (also run by `npm ci` and `npm pack` through `prepare`): dist/ from src/ with tsc (plain
// JavaScript, declarations and source maps, the sources' `.ts` imports rewritten to `.js`), and the scenario
// JSON Schema beside it so the package ships the file editors point at.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../src/scenario/json-schema.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

// A file removed from src/ must not live on in the package: start from nothing.
rmSync(dist, { recursive: true, force: true });
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
writeFileSync(join(dist, 'scenario.schema.json'), `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
