import { buildJournal, type Journal } from '../../src/report/journal.ts';
import { loadScenarioFile } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';

/** Runs a test fixture in-process and returns its journal (wall time fixed at 10 ms). */
export const journalOf = (fixture: string, seed?: number): Journal => {
  const loaded = loadScenarioFile(new URL(`../fixtures/${fixture}`, import.meta.url).pathname);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const run = runScenario(loaded.value.scenario, seed === undefined ? {} : { seed });
  if (!run.ok) throw new Error(run.error.message);
  return buildJournal(run.value, loaded.value, { wallMs: 10 });
};
