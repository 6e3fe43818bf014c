// A plain Node ESM consumer: no TypeScript, no loader, the published entry point only.
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, runScenario } from 'mapek';

// The scenarios ship in the package, beside its package.json.
const file = fileURLToPath(
  new URL('scenarios/single-node-crash.yaml', import.meta.resolve('mapek/package.json')),
);
const loaded = loadScenarioFile(file);
if (!loaded.ok) {
  process.stderr.write(`${loaded.error.message}\n`);
  process.exit(2);
}
const run = runScenario(loaded.value.scenario, { seed: 1 });
if (!run.ok) {
  process.stderr.write(`${run.error.message}\n`);
  process.exit(3);
}
process.stdout.write(JSON.stringify({ verdict: run.value.verdict, traceHash: run.value.outcome.traceHash }));
