import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml, type JUnitCase, renderJUnit } from '../../src/report/junit.ts';

const testCase = (suite: string, seed: number, failures: number, error = false): JUnitCase => ({
  suite,
  name: `${suite} [seed ${seed}]`,
  classname: `mapek.${suite}`,
  timeMs: 12.5,
  failures: Array.from({ length: failures }, (_, i) => ({ type: 'slo', message: `slo ${i}`, detail: 'd' })),
  ...(error ? { error: { type: 'world-build-failed', message: 'no world', detail: 'x.yaml' } } : {}),
});

const parse = (xml: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (n) => ['testsuite', 'testcase', 'failure'].includes(n),
  }).parse(xml);

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
  });

  it('escapes control characters as visible text, never raw (XML 1.0 cannot hold them)', () => {
    expect(escapeXml('a\u0000b\u0007c\td')).toBe('a\\u{0}b\\u{7}c\td');
  });
});

describe('renderJUnit', () => {
  it('writes one test case per scenario and seed, one failure per missed SLO, grouped by scenario', () => {
    const xml = renderJUnit([testCase('alpha', 1, 0), testCase('alpha', 2, 2), testCase('beta', 1, 1)]);

    const doc = parse(xml);
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: { '@name': string }) => s['@name'])).toEqual(['alpha', 'beta']);
    expect(suites[0].testcase).toHaveLength(2);
    expect(suites[0].testcase[1].failure).toHaveLength(2);
    expect([doc.testsuites['@tests'], doc.testsuites['@failures'], doc.testsuites['@errors']]).toEqual([
      '3',
      '2',
      '0',
    ]);
  });

  it('reports a run that could not happen as an error', () => {
    const doc = parse(renderJUnit([testCase('gamma', 1, 0, true)]));

    expect(doc.testsuites.testsuite[0].testcase[0].error['@type']).toBe('world-build-failed');
    expect(doc.testsuites['@errors']).toBe('1');
  });

  it('stays well-formed whatever the names hold', () => {
    const nasty = `x<y & "z" ]]>\u0001end`;
    const xml = renderJUnit([
      { ...testCase(nasty, 1, 0), failures: [{ type: nasty, message: nasty, detail: `${nasty}\n<b>` }] },
    ]);

    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parse(xml).testsuites.testsuite[0]['@name']).toBe('x<y & "z" ]]>\\u{1}end');
  });

  it('writes an empty report for no runs', () => {
    const doc = parse(renderJUnit([]));

    expect(doc.testsuites['@tests']).toBe('0');
  });
});
