import { PACKAGE_VERSION } from '../base/package-version.ts';
import { readRegularTextFile } from '../base/read-regular-file.ts';
import { err, ok, type Result } from '../base/result.ts';
import { parseKnowledge } from '../mapek/knowledge-file.ts';
import { formatLoadError } from '../report/console-report.ts';
import {
  buildJournal,
  type JournalKnowledge,
  knowledgeDigest,
  serializeJournals,
} from '../report/journal.ts';
import { firstJournalDifference } from '../report/journal-diff.ts';
import { MAX_JOURNAL_BYTES, type ReplayRecord, readJournals } from '../report/journal-reader.ts';
import { inJournalFormat } from '../report/journal-versions.ts';
import { parseScenarioValue } from '../scenario/loader.ts';
import { withStrategyCatalog } from '../scenario/strategy-catalog-file.ts';
import { sweepOne } from '../sweep/sweep.ts';
import { thrownError } from '../sweep/sweep-job.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { preparePolicy } from './prepare-policy.ts';

const short = (hash: string): string => hash.slice(0, 16);

/** The knowledge a recorded run started from, checked against its digest; null when it had none. */
const startingKnowledge = (rec: ReplayRecord): Result<JournalKnowledge | null, string> => {
  const k = rec.knowledge;
  if (k === null || k === undefined) return ok(null);
  const parsed = parseKnowledge(k.data, `the starting knowledge (recorded from ${k.file})`);
  if (!parsed.ok) return err(parsed.error.message);
  const digest = knowledgeDigest(parsed.value);
  if (digest !== k.sha256) {
    return err(
      `the starting knowledge recorded from ${k.file} does not match its digest (recorded ${short(k.sha256)}, content ${short(digest)}): the journal was edited`,
    );
  }
  return ok({ file: k.file, sha256: k.sha256, data: parsed.value });
};

/** `mapek replay`'s action: each journal of `file` run again and compared with the one recorded. */
export const replayAction = async (ctx: CliContext, file: string): Promise<void> => {
  const text = readRegularTextFile(file, MAX_JOURNAL_BYTES);
  if (!text.ok) {
    ctx.warn(`mapek: cannot read ${file}: ${text.error.reason}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const records = readJournals(text.value, file);
  if (!records.ok) {
    ctx.warn(`mapek: ${file}: ${records.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  for (const rec of records.value) {
    const label = `${rec.scenarioName}  seed ${rec.seed}  policy ${rec.policy}`;
    const parsed = parseScenarioValue(rec.input, `${file} (scenario from ${rec.file})`);
    // A strategy catalog the scenario names is read again, relative to the recorded scenario file.
    const scenario = parsed.ok ? withStrategyCatalog(parsed.value, rec.file) : parsed;
    if (!scenario.ok) {
      ctx.warn(...formatLoadError(scenario.error));
      ctx.exit(EXIT.invalidInput);
      continue;
    }
    // A module policy recorded from the scenario resolves against its file; one from --policy, the cwd.
    const fromScenario = scenario.value.controller.policy === rec.policy;
    const from = fromScenario ? { scenarioFile: rec.file } : 'cwd';
    if ((await preparePolicy(ctx, rec.policy, from)) === null) continue;
    const knowledge = startingKnowledge(rec);
    if (!knowledge.ok) {
      ctx.print(`DIFFERS  ${label}  cannot replay: ${knowledge.error}`);
      ctx.exit(EXIT.sloViolated);
      continue;
    }
    const result = await sweepOne(scenario.value, rec.seed, {
      policy: rec.policy,
      // A journal holds a timeline when it was recorded with one: rebuild it to compare it too.
      timeline: rec.hasTimeline,
      ...(knowledge.value === null ? {} : { knowledge: { carry: false, initial: knowledge.value.data } }),
    });
    if (result.kind === 'threw') {
      ctx.internalError(`while replaying ${label}`, thrownError(result));
      continue;
    }
    if (result.kind === 'refused') {
      ctx.warn(`ERROR ${label}: ${result.error.message}`);
      ctx.exit(EXIT.invalidInput);
      continue;
    }
    const rebuilt = buildJournal(
      result.result,
      { file: rec.file, sha256: rec.sha256, input: rec.input, knowledge: knowledge.value },
      { wallMs: 0 },
    );
    // Through JSON, as the recorded one went: what is compared is what a file can hold.
    // A journal of an older format is compared with the run as that format would have written it.
    const now = inJournalFormat(
      JSON.parse(serializeJournals(rebuilt)) as Record<string, unknown>,
      rec.format,
    );
    // Journals written before the starting knowledge was recorded have no such field.
    if (rec.knowledge === undefined) delete now.knowledge;
    const diff = firstJournalDifference(rec.journal, now);
    if (diff === null) {
      ctx.print(`SAME     ${label}  trace ${short(rebuilt.traceHash)}`);
      continue;
    }
    const version =
      rec.mapekVersion === PACKAGE_VERSION
        ? ''
        : ` (recorded by mapek ${rec.mapekVersion}, replayed by ${PACKAGE_VERSION})`;
    const trace =
      rebuilt.traceHash === rec.traceHash
        ? 'trace the same'
        : `trace recorded ${short(rec.traceHash)}, now ${short(rebuilt.traceHash)}`;
    ctx.print(
      `DIFFERS  ${label}  first at ${diff.field}: recorded ${diff.recorded}, now ${diff.now}; ${trace}${version}`,
    );
    ctx.exit(EXIT.sloViolated);
  }
};
