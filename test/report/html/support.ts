import { buildJournal, type Journal } from '../../../src/report/journal.ts';
import { loadScenarioFile } from '../../../src/scenario/loader.ts';
import { type RunResult, runScenario } from '../../../src/scenario/runner.ts';

/** A bundled scenario run in-process with its timeline recorded, and its journal (wall time fixed). */
export const recordedRun = (
  scenario: string,
  options: { seed?: number; inspect?: boolean } = {},
): { journal: Journal; run: RunResult } => {
  const file = `scenarios/${scenario}`;
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const run = runScenario(loaded.value.scenario, { ...options, timeline: true });
  if (!run.ok) throw new Error(run.error.message);
  return { journal: buildJournal(run.value, loaded.value, { wallMs: 10 }), run: run.value };
};
