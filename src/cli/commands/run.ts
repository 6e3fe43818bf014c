import { Option } from 'commander';
import { formatWallSeconds } from '../../base/format.ts';
import type { ControllerModuleRef } from '../../controllers/controller-module.ts';
import { formatLoadError } from '../../report/console-report.ts';
import { type Journal, serializeJournals } from '../../report/journal.ts';
import { errorCase, type JUnitCase, renderJUnit } from '../../report/junit.ts';
import { DEFAULT_COST_LIMIT } from '../../scenario/cost-estimate.ts';
import { loadScenarioFile } from '../../scenario/loader.ts';
import { defaultWorkers } from '../../sweep/worker-pool.ts';
import type { CommandModule } from '../command-module.ts';
import { EXIT } from '../exit-codes.ts';
import { expandInputs } from '../inputs.ts';
import { parsePolicy, preparePolicy } from '../policy-flags.ts';
import { preflightOutputs, withinCostLimit } from '../preflight.ts';
import { HTML_OPTION, INSPECT_OPTION, OTEL_OPTION } from '../report-flags.ts';
import { lockKnowledge, openKnowledge } from '../run-knowledge.ts';
import { openOutputs, type RunFlags, reportWrite, runOne } from '../run-sweep.ts';
import { parseSeed, parseSeedRange } from '../seeds.ts';
import { LazyPool, workersOption } from '../worker-flags.ts';

/** `mapek run`: runs scenarios, prints verdicts, writes journals, JUnit XML and traces. */
export const runCommand: CommandModule = {
  name: 'run',
  register(program, ctx) {
    program
      .command('run')
      .description('run scenario files (or every *.yaml, *.yml, *.json in a directory) and judge their SLOs')
      .argument('<paths...>', 'scenario files or directories')
      .addOption(
        new Option('--seed <n>', "run with this seed instead of the scenario's").argParser(parseSeed),
      )
      .addOption(
        new Option(
          '--seeds <a..b>',
          'sweep every seed from a to b (inclusive); a scenario fails if any seed fails',
        )
          .argParser(parseSeedRange)
          .conflicts('seed'),
      )
      .addOption(
        new Option(
          '--policy <name|file>',
          "drive the cluster with this controller instead of the scenario's: a built-in name or a .js/.mjs controller module (docs/custom-controllers.md)",
        ).argParser(parsePolicy),
      )
      .option('--json <file>', 'write the journal (one run) or an array of journals (several runs) to a file')
      .option('--junit <file>', 'write a JUnit XML report: one test case per scenario and seed')
      .option(
        '--trace <file>',
        'write the event trace as NDJSON: a header line per run, then one event per line',
      )
      .addOption(HTML_OPTION)
      .addOption(OTEL_OPTION)
      .addOption(INSPECT_OPTION)
      .option(
        '--knowledge <file>',
        'start the MAPE-K loop from this knowledge file and save what it learns back to it after each run (created if missing; a file that is not a mapek knowledge file is refused and left as it is)',
      )
      .addOption(workersOption('the seeds of a sweep'))
      .option(
        '--no-cost-limit',
        `run scenarios whose estimated cost is over the limit (${DEFAULT_COST_LIMIT.toExponential()} visits a run; see docs/cli.md)`,
      )
      .addHelpText(
        'after',
        '\nExit codes: 0 every SLO met, 1 an SLO violated, 2 invalid input or usage, 3 internal error.',
      )
      .action(async (paths: string[], flags: RunFlags) => {
        const inputs = expandInputs(paths);
        for (const e of inputs.errors) {
          ctx.warn(`mapek: ${e.message}`);
          ctx.exit(EXIT.invalidInput);
        }
        // A controller module is imported once, before any output opens, so a bad one stops everything up front.
        const modules: ControllerModuleRef[] = [];
        if (flags.policy !== undefined) {
          const ref = await preparePolicy(ctx, flags.policy, 'cwd');
          if (ref === null) return;
          if (ref !== 'builtin') modules.push(ref);
        }
        const targets = preflightOutputs(
          ctx,
          [
            { flag: '--json', path: flags.json },
            { flag: '--junit', path: flags.junit },
            { flag: '--trace', path: flags.trace },
            { flag: '--html', path: flags.html },
            { flag: '--otel', path: flags.otel },
            { flag: '--inspect', path: flags.inspect },
            { flag: '--knowledge', path: flags.knowledge },
          ],
          inputs.files.map((f) => ({ what: 'a scenario', path: f })),
        );
        if (targets === null) return;
        // Two runs saving over one knowledge file would each lose the other's learning: the second is refused.
        const lock = lockKnowledge(ctx, targets.get('--knowledge'));
        if (lock === 'failed') return;
        const carry = openKnowledge(ctx, flags.knowledge, targets.get('--knowledge'));
        const outputs = carry === 'failed' ? null : openOutputs(ctx, targets);
        if (outputs === null) {
          lock?.release();
          ctx.exit(EXIT.invalidInput);
          return;
        }
        const started = ctx.io.now();
        const workers = new LazyPool(
          Math.min(flags.workers ?? defaultWorkers(), flags.seeds?.length ?? 1),
          ctx.io.env,
        );
        const sink: { journals: Journal[]; cases: JUnitCase[] } = { journals: [], cases: [] };
        let planned = 0;
        let loadedCount = 0;
        for (const file of inputs.files) {
          const loaded = loadScenarioFile(file);
          if (!loaded.ok) {
            const lines = formatLoadError(loaded.error);
            ctx.warn(...lines);
            ctx.exit(EXIT.invalidInput);
            sink.cases.push(
              errorCase(
                { suite: file, name: file, classname: 'mapek.invalid-scenario', timeMs: 0 },
                { type: loaded.error.kind, message: loaded.error.message, detail: lines.join('\n') },
              ),
            );
            continue;
          }
          loadedCount++;
          const policy = flags.policy ?? loaded.value.scenario.controller.policy;
          const ref =
            flags.policy === undefined ? await preparePolicy(ctx, policy, { scenarioFile: file }) : 'builtin';
          if (ref === null) continue;
          if (!withinCostLimit(ctx, loaded.value, flags.costLimit)) continue;
          const seeds = flags.seeds ?? [flags.seed ?? loaded.value.scenario.seed];
          planned += seeds.length;
          const executor = workers.executor(
            seeds.length,
            ref === 'builtin' ? modules : [...modules, ref],
            ctx.io.now,
          );
          await runOne(
            ctx,
            loaded.value,
            seeds,
            flags,
            outputs,
            sink,
            carry === 'failed' ? null : carry,
            executor,
          );
        }
        const passed = sink.journals.filter((j) => j.verdict === 'pass').length;
        if (inputs.files.length > 1 || planned > 1) {
          ctx.print(
            `${loadedCount} scenario${loadedCount === 1 ? '' : 's'}, ${sink.journals.length} run${sink.journals.length === 1 ? '' : 's'}: ${passed} passed, ${sink.journals.length - passed} failed  [${formatWallSeconds(ctx.io.now() - started)}]`,
          );
        }
        if (outputs.json !== null && sink.journals.length === 0) {
          // Nothing ran: an empty array would only replace the journal a user already has.
          outputs.json.abort();
        } else if (outputs.json !== null) {
          // One run gives one journal object; anything else (several files or seeds) an array in run order.
          const single = inputs.files.length === 1 && planned === 1;
          const [only] = sink.journals;
          const payload = single && only !== undefined ? only : sink.journals;
          const written = outputs.json.write(serializeJournals(payload));
          reportWrite(ctx, written.ok ? outputs.json.commit() : written);
        }
        if (outputs.junit !== null) {
          const written = outputs.junit.write(renderJUnit(sink.cases));
          reportWrite(ctx, written.ok ? outputs.junit.commit() : written);
        }
        if (outputs.trace?.failed === null) reportWrite(ctx, outputs.trace.commit());
        await outputs.reports.commit(ctx, sink.journals);
        await workers.close();
        lock?.release();
      });
  },
};
