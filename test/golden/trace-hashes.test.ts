import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeGolden, GOLDEN_FILE } from '../../scripts/trace-hashes.ts';

describe('golden trace hashes', () => {
  it('every bundled scenario replays to the committed hashes (npm run golden:update when a change is meant)', () => {
    // Arrange
    const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, string>;

    // Act
    const computed = computeGolden();

    // Assert
    expect(computed).toEqual(golden);
    // About 70 runs: allow for a loaded machine (this bounds a hang, it asserts no speed).
  }, 300_000);
});
