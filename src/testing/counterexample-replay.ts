import { formatLoadError } from '../report/console-report.ts';
import { loadScenarioFile } from '../scenario/loader.ts';
import { runSweepJob, thrownError } from '../sweep/sweep-job.ts';
import { violatedNames } from './counterexample-file.ts';
import type { Counterexample } from './explore.ts';
import { violatedSlos } from './properties.ts';

/**
 * Loads a counterexample file as `mapek run` would and runs it: null when it replays to the same violation
 * (the same SLOs violated, the same trace hash as `traceHash`, by default the hash of the search's run), else
 * what differs.
 */
export const replayCheck = (
  c: Counterexample,
  file: string,
  traceHash: string | null = c.run?.outcome.traceHash ?? null,
): string | null => {
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) return formatLoadError(loaded.error).join('; ');
  const { scenario } = loaded.value;
  const { outcome } = runSweepJob(scenario, { index: 0, seed: scenario.seed, keepTrace: false });
  if (outcome.kind === 'threw') throw thrownError(outcome);
  if (outcome.kind === 'refused') return outcome.error.message;
  const run = outcome.result;
  const now = violatedSlos(run).map((s) => s.name);
  const expected = violatedNames(c);
  if (now.join(',') !== expected.join(',')) {
    return `it violates ${now.join(', ') || 'no SLO'} instead of ${expected.join(', ')}`;
  }
  if (traceHash !== null && traceHash !== run.outcome.traceHash) {
    return `its trace hash is ${run.outcome.traceHash.slice(0, 16)}, the search saw ${traceHash.slice(0, 16)}`;
  }
  return null;
};
