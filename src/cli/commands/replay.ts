import { readFileSync } from 'node:fs';
import { PACKAGE_VERSION } from '../../base/package-version.ts';
import { formatLoadError } from '../../report/console-report.ts';
import { readJournals } from '../../report/journal-reader.ts';
import { parseScenarioValue } from '../../scenario/loader.ts';
import { sweepOne } from '../../sweep/sweep.ts';
import { thrownError } from '../../sweep/sweep-job.ts';
import type { CommandModule } from '../command-module.ts';
import { EXIT } from '../exit-codes.ts';

const short = (hash: string): string => hash.slice(0, 16);

/** `mapek replay`: reruns the scenarios embedded in a journal file and compares trace hashes. */
export const replayCommand: CommandModule = {
  name: 'replay',
  register(program, ctx) {
    program
      .command('replay')
      .description(
        'rerun the scenario embedded in a journal (--json output) with its seed and policy, and compare trace hashes',
      )
      .argument('<journal>', 'a journal file written by `mapek run --json` (one journal or an array)')
      .addHelpText(
        'after',
        '\nExit codes: 0 every trace hash matches, 1 a hash differs, 2 the journal is unreadable or invalid, 3 internal error.',
      )
      .action(async (file: string) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          ctx.warn(`mapek: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
          ctx.exit(EXIT.invalidInput);
          return;
        }
        const records = readJournals(text, file);
        if (!records.ok) {
          ctx.warn(`mapek: ${file}: ${records.error.message}`);
          ctx.exit(EXIT.invalidInput);
          return;
        }
        for (const rec of records.value) {
          const label = `${rec.scenarioName}  seed ${rec.seed}  policy ${rec.policy}`;
          const scenario = parseScenarioValue(rec.input, `${file} (scenario from ${rec.file})`);
          if (!scenario.ok) {
            ctx.warn(...formatLoadError(scenario.error));
            ctx.exit(EXIT.invalidInput);
            continue;
          }
          const result = await sweepOne(scenario.value, rec.seed, { policy: rec.policy });
          if (result.kind === 'threw') {
            ctx.internalError(`while replaying ${label}`, thrownError(result));
            continue;
          }
          if (result.kind === 'refused') {
            ctx.warn(`ERROR ${label}: ${result.error.message}`);
            ctx.exit(EXIT.invalidInput);
            continue;
          }
          const now = result.result.outcome.traceHash;
          if (now === rec.traceHash) {
            ctx.print(`SAME     ${label}  trace ${short(now)}`);
          } else {
            const version =
              rec.mapekVersion === PACKAGE_VERSION
                ? ''
                : ` (recorded by mapek ${rec.mapekVersion}, replayed by ${PACKAGE_VERSION})`;
            ctx.print(`DIFFERS  ${label}  recorded ${short(rec.traceHash)}, now ${short(now)}${version}`);
            ctx.exit(EXIT.sloViolated);
          }
        }
      });
  },
};
