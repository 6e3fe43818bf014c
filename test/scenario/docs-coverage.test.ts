import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.ts';

interface JsonSchemaNode {
  readonly properties?: Record<string, JsonSchemaNode>;
  readonly items?: JsonSchemaNode;
  readonly anyOf?: readonly JsonSchemaNode[];
  readonly oneOf?: readonly JsonSchemaNode[];
  readonly allOf?: readonly JsonSchemaNode[];
}

/** Every field path of the scenario format, written as docs/scenarios.md writes them: `faults[].random.from`. */
const fieldPaths = (node: JsonSchemaNode, prefix = ''): string[] => {
  const out: string[] = [];
  for (const option of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) {
    out.push(...fieldPaths(option, prefix));
  }
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.push(path, ...fieldPaths(child, path));
  }
  if (node.items !== undefined) out.push(...fieldPaths(node.items, `${prefix}[]`));
  return [...new Set(out)];
};

it('docs/scenarios.md documents every field of the scenario schema', () => {
  const docs = readFileSync(new URL('../../docs/scenarios.md', import.meta.url), 'utf8');
  const paths = fieldPaths(scenarioJsonSchema() as JsonSchemaNode);

  const undocumented = paths.filter((p) => !docs.includes(`\`${p}\``));

  expect(paths.length).toBeGreaterThan(80);
  expect(undocumented).toEqual([]);
});
