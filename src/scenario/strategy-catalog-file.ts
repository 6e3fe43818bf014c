import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { readRegularFile } from '../base/read-regular-file.ts';
import { err, ok, type Result } from '../base/result.ts';
import { ROOT_CAUSES, type StrategyCatalogOverrides } from '../mapek/strategy-catalog-overrides.ts';
import { STRATEGY_IDS } from '../mapek/types.ts';
import { mapIssues, sortIssues } from './issue-mapping.ts';
import type { LoadError } from './load-error.ts';
import type { Scenario } from './schema/scenario.ts';
import { durationField, fractionField } from './schema/units.ts';
import { locator } from './source-positions.ts';
import { decodeScenarioBytes, MAX_SCENARIO_BYTES } from './source-text.ts';
import { parseScenarioDocument } from './yaml-document.ts';

const cause = z.enum(ROOT_CAUSES);

/** One row of the file: a built-in strategy by id, and what to change about it. */
const rowSchema = z.strictObject({
  id: z.enum(STRATEGY_IDS).describe('a built-in strategy'),
  causes: z.array(cause).optional().describe('root causes it is a first-line candidate for'),
  escalationFor: z.array(cause).optional().describe('root causes it is tried for once escalated'),
  prior: z
    .strictObject({
      successRate: fractionField('prior success rate').optional(),
      recovery: durationField('prior expected recovery time').optional(),
      risk: fractionField('prior risk of collateral damage').optional(),
    })
    .optional(),
});

/** A strategy catalog file: `strategies:`, a list of rows; order is the planner's tie-break order. */
export const strategyCatalogSchema = z
  .strictObject({ strategies: z.array(rowSchema).min(1, { message: 'list at least one strategy' }) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    for (const [i, row] of file.strategies.entries()) {
      if (seen.has(row.id))
        ctx.addIssue({ code: 'custom', path: ['strategies', i, 'id'], message: `${row.id} is listed twice` });
      seen.add(row.id);
    }
  })
  .transform(
    (file): StrategyCatalogOverrides => ({
      strategies: file.strategies.map((r) => ({
        id: r.id,
        ...(r.causes === undefined ? {} : { causes: r.causes }),
        ...(r.escalationFor === undefined
          ? {}
          : {
              escalationFor: r.escalationFor,
            }),
        ...(r.prior === undefined
          ? {}
          : {
              prior: {
                ...(r.prior.successRate === undefined ? {} : { successRate: r.prior.successRate }),
                ...(r.prior.recovery === undefined ? {} : { recoveryMs: r.prior.recovery }),
                ...(r.prior.risk === undefined ? {} : { risk: r.prior.risk }),
              },
            }),
      })),
    }),
  );

/** Reads and checks a strategy catalog file (YAML or JSON), with file:line:column issues like a scenario. */
export const loadStrategyCatalogFile = (file: string): Result<StrategyCatalogOverrides, LoadError> => {
  const bytes = readRegularFile(file, MAX_SCENARIO_BYTES);
  if (!bytes.ok) {
    const message = `cannot read the strategy catalog: ${bytes.error.reason}`;
    return err({
      kind: 'unreadable',
      file,
      reason: bytes.error.reason,
      message,
      issues: [{ file, position: null, path: [], message }],
    });
  }
  const text = decodeScenarioBytes(bytes.value, file);
  if (!text.ok) return text;
  const doc = parseScenarioDocument(text.value, file);
  if (!doc.ok) return doc;
  const { document, lineCounter, value } = doc.value;
  const parsed = strategyCatalogSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const locate = locator(document, lineCounter);
  const issues = sortIssues(
    mapIssues({ file, input: value, root: strategyCatalogSchema, locate }, parsed.error.issues),
  );
  return err({
    kind: 'invalid',
    file,
    message: `the strategy catalog is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'})`,
    issues:
      issues.length > 0 ? issues : [{ file, position: null, path: [], message: 'invalid strategy catalog' }],
  });
};

/**
 * Loads the strategy catalog a scenario's `controller.strategies` names, relative to the scenario file, into
 * the scenario (a scenario without one is returned as it is). Callers: every path that runs a scenario file.
 */
export const withStrategyCatalog = (
  scenario: Scenario,
  scenarioFile: string,
): Result<Scenario, LoadError> => {
  const ref = scenario.controller.strategies;
  if (ref === undefined || ref.overrides !== undefined) return ok(scenario);
  const path = isAbsolute(ref.file) ? ref.file : resolve(dirname(resolve(scenarioFile)), ref.file);
  const loaded = loadStrategyCatalogFile(path);
  if (!loaded.ok) return loaded;
  return ok({
    ...scenario,
    controller: { ...scenario.controller, strategies: { file: ref.file, overrides: loaded.value } },
  });
};
