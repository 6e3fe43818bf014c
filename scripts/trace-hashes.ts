// Writes (or, with --check, compares against) the golden trace hashes: every bundled scenario at seeds 1-5
// with its own policy, and with every other built-in policy at seed 1. A behaviour change that keeps every
// assertion green still changes a hash; regenerate deliberately with `npm run golden:update` and commit the
// file on its own, saying why in the message.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/base/atomic-write.ts';
import { POLICY_NAMES } from '../src/controllers/controller-spec.ts';
import { loadScenarioFile } from '../src/scenario/loader.ts';
import { runScenario } from '../src/scenario/runner.ts';

export const GOLDEN_FILE = 'test/golden/trace-hashes.json';
export const GOLDEN_SEEDS = [1, 2, 3, 4, 5] as const;

/** Every bundled scenario at the golden seeds: `file@seed` -> trace hash. */
export const computeGolden = (dir = 'scenarios'): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const loaded = loadScenarioFile(join(dir, file));
    if (!loaded.ok) throw new Error(`${file}: ${loaded.error.message}`);
    for (const seed of GOLDEN_SEEDS) {
      const run = runScenario(loaded.value.scenario, { seed });
      if (!run.ok) throw new Error(`${file}@${seed}: ${run.error.message}`);
      out[`${file}@${seed}`] = run.value.outcome.traceHash;
    }
    // Every other policy at seed 1: the baselines' behaviour is pinned too.
    for (const policy of POLICY_NAMES.filter((p) => p !== loaded.value.scenario.controller.policy)) {
      const run = runScenario(loaded.value.scenario, { seed: 1, policy });
      if (!run.ok) throw new Error(`${file}@1/${policy}: ${run.error.message}`);
      out[`${file}@1/${policy}`] = run.value.outcome.traceHash;
    }
  }
  return out;
};

const main = (): void => {
  const computed = computeGolden();
  if (process.argv.includes('--check')) {
    const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, string>;
    const differs = Object.keys({ ...golden, ...computed }).filter((k) => golden[k] !== computed[k]);
    for (const k of differs) console.log(`DIFFERS ${k}: golden ${golden[k]} now ${computed[k]}`);
    console.log(differs.length === 0 ? 'all trace hashes match' : `${differs.length} differ`);
    process.exitCode = differs.length === 0 ? 0 : 1;
    return;
  }
  const written = writeFileAtomic(GOLDEN_FILE, `${JSON.stringify(computed, null, 2)}\n`);
  if (!written.ok) throw new Error(written.error.message);
  console.log(`wrote ${Object.keys(computed).length} hashes to ${GOLDEN_FILE}`);
};

if (import.meta.url === `file://${process.argv[1]}`) main();
