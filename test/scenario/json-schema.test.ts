import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseDuration } from '../../src/base/duration.ts';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { DURATION_PATTERN, POSITIVE_DURATION_PATTERN } from '../../src/scenario/schema/units.ts';

// The schema an editor reads must agree with `mapek validate` on the values people get wrong.

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addKeyword('patternErrorMessage');
const validate = ajv.compile(scenarioJsonSchema());

const BUNDLED = ['scenarios', 'docs/examples', 'bench/scenarios'].flatMap((dir) =>
  readdirSync(dir)
    // The Kubernetes manifest beside the example scenarios is not one.
    .filter((f) => f.endsWith('.yaml') && f !== 'k8s-indexed-job.yaml')
    .map((f) => join(dir, f)),
);

/** A valid scenario with one random generator and every SLO, to set fields of. */
const BASE = {
  name: 'schema-check',
  duration: '10m',
  cluster: { nodes: { count: 3 }, services: [{ name: 'api', replicas: 3, capacityRps: 100 }] },
  workload: [{ service: 'api', rps: 150 }],
  faults: [{ random: { meanInterval: '2m', kinds: { 'node-crash': 1 }, blastRadius: 'one' } }],
  slo: { detection: '10s', availability: '99.5%' },
};

type Json = Record<string, unknown>;

/** BASE with one field (a dotted path; a number picks a list item) set to `value`. */
const withField = (path: string, value: unknown): Json => {
  const doc = structuredClone(BASE) as Json;
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let at: Json = doc;
  for (const k of keys) at = at[k] as Json;
  at[last] = value;
  return doc;
};

const loads = (doc: Json): boolean => loadScenarioText(stringify(doc), 'case.yaml').ok;

describe('the scenario JSON Schema', () => {
  it.each(BUNDLED)('accepts the bundled %s', (file) => {
    const doc: unknown = parse(readFileSync(file, 'utf8'));

    const valid = validate(doc);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each([
    ['duration', '10 m', false],
    ['duration', '10', false],
    ['duration', '0s', false],
    ['duration', 0, false],
    ['duration', '-5m', false],
    ['duration', '1h30m', true],
    ['duration', '250ms', true],
    ['slo.detection', 0, true],
    ['slo.detection', '0', true],
    ['slo.detection', 'soon', false],
    ['slo.availability', 99.9, false],
    ['slo.availability', '120%', false],
    ['slo.availability', '99.9 percent', false],
    ['slo.availability', '-1%', false],
    ['slo.availability', '99.95%', true],
    ['slo.availability', '100%', true],
    ['slo.availability', 0.999, true],
    ['faults.0.random.meanInterval', '5 s', false],
    ['faults.0.random.blastRadius', 'percent:0', false],
    ['faults.0.random.blastRadius', 'percent:120%', false],
    ['faults.0.random.blastRadius', 'count:0', false],
    ['faults.0.random.blastRadius', 'half', false],
    ['faults.0.random.blastRadius', 'percent:12.5%', true],
    ['faults.0.random.blastRadius', 'count:2', true],
  ])('judges %s: %j as mapek validate does (valid: %s)', (path, value, expected) => {
    const doc = withField(path, value);

    const bySchema = validate(doc);

    expect(bySchema).toBe(expected);
    expect(loads(doc)).toBe(expected);
  });

  // Written by hand: digits, dots, units and the odd space or sign, so near misses are common.
  const durationText = fc
    .array(fc.constantFrom('0', '1', '5', '.', '.5', 'ms', 's', 'm', 'h', 'd', ' ', '-', 'x'), {
      maxLength: 6,
    })
    .map((parts) => parts.join(''));

  test.prop([durationText])('a duration pattern accepts what parseDuration reads', (text) => {
    const parsed = parseDuration(text);
    // A pattern cannot know the hundred-year cap or the millisecond grain; everything else it must judge.
    const judgedBySyntax = parsed.ok || !['sub-millisecond', 'too-large'].includes(parsed.error.reason);

    const matches = new RegExp(DURATION_PATTERN).test(text);
    const matchesPositive = new RegExp(POSITIVE_DURATION_PATTERN).test(text);

    if (judgedBySyntax) expect(matches).toBe(parsed.ok);
    expect(matchesPositive).toBe(matches && !(parsed.ok && parsed.value === 0));
  });
});
