import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/base/duration.ts';
import { MapekConfig } from '../../src/mapek/config.ts';
import { MAPEK_SETTINGS, type SettingRow, settingRows } from '../../src/mapek/settings.ts';
import { controllerSchema } from '../../src/scenario/schema/controller.ts';

/** A value just outside the row's range, as the API takes it (ms, a fraction, a number). */
const outside = (row: SettingRow): number => {
  const r = row.range ?? { min: 0 };
  if (r.max !== undefined) return r.max + (r.maxExclusive === true ? 0 : 1);
  return r.min - (r.minExclusive === true ? 0 : 1);
};

/** The same value as a scenario file writes it. */
const asFile = (row: SettingRow, value: number): unknown =>
  row.unit === 'duration' ? (value < 0 ? `-${formatDuration(-value)}` : formatDuration(value)) : value;

const numeric = settingRows().filter(([, row]) => row.unit !== 'boolean');

describe('the MAPE-K settings table', () => {
  it('gives every setting its default in MapekConfig and in a scenario with an empty controller block', () => {
    const parsed = controllerSchema.parse({});

    expect(parsed.mapek).toEqual(MapekConfig.DEFAULTS);
    expect(MapekConfig.DEFAULTS).toEqual(
      Object.fromEntries(settingRows().map(([name, row]) => [name, row.default])),
    );
  });

  it('reads every setting from its file key into its API key', () => {
    const block = Object.fromEntries(
      numeric.map(([name, row]) => [row.file, asFile(row, name === 'maxCycleTimeMs' ? 99_000 : 7_000)]),
    );
    const fraction = settingRows().find(([, r]) => r.unit === 'fraction');

    const parsed = controllerSchema.parse({
      ...block,
      ...(fraction === undefined ? {} : { [fraction[1].file]: 0.25 }),
      enableKnowledgeUpdates: false,
    });

    for (const [name, row] of numeric) {
      const expected = row.unit === 'fraction' ? 0.25 : name === 'maxCycleTimeMs' ? 99_000 : 7_000;
      expect([name, parsed.mapek[name]]).toEqual([name, expected]);
    }
    expect(parsed.mapek.enableKnowledgeUpdates).toBe(false);
  });

  it.each(numeric)(
    '%s: validate() and the scenario schema both refuse a value outside its range',
    (name, row) => {
      const value = outside(row);

      const config = MapekConfig.create({ [name]: value }).validate();
      const file = controllerSchema.safeParse({ [row.file]: asFile(row, value) });

      expect(!config.ok && config.error).toMatchObject({ kind: 'InvalidConfig', field: name });
      expect(file.success).toBe(false);
      expect(file.error?.issues.map((i) => i.path.join('.'))).toContain(row.file);
    },
  );

  it('has a with* builder for every setting, which changes that setting alone', () => {
    const base = MapekConfig.create();
    const builders = base as unknown as Record<string, (arg: unknown) => MapekConfig>;

    const changed = settingRows().map(([name, row]) => {
      const value = row.unit === 'boolean' ? !row.default : Number(row.default) + 1;
      const builder = row.builder ?? row.group ?? '';
      const built =
        row.builder !== undefined ? builders[builder]?.(value) : builders[builder]?.({ [name]: value });
      return [name, built?.values()[name] === value, built?.values()] as const;
    });

    for (const [name, ok, values] of changed) {
      expect([name, ok]).toEqual([name, true]);
      const others = Object.keys(MAPEK_SETTINGS).filter((k) => k !== name);
      for (const k of others)
        expect(values?.[k as keyof typeof values]).toBe(base.values()[k as keyof typeof values]);
    }
  });
});
