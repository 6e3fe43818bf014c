import { describe, expect, it } from 'vitest';
import { MapekConfig } from '../../src/mapek/config.ts';
import type { KnowledgeFileData } from '../../src/mapek/knowledge-file.ts';
import { worldWithLoop } from '../support/mapek.ts';

const CRASH = { faults: [{ at: '30s', kind: 'node-crash', target: 'node-1' }] };

/** Knowledge from an earlier run: one success of rebooting a crashed node. */
const EARLIER: KnowledgeFileData = {
  format: 'mapek-knowledge',
  version: 1,
  objectives: {
    cycleIntervalMs: 10_000,
    maxRecoveryTimeMs: 300_000,
    errorRateThreshold: 0.05,
    latencyThreshold: 2,
  },
  topology: null,
  stats: [
    { failureType: 'NodeCrash', strategy: 'reboot-node', attempts: 1, successes: 1, totalRecoveryMs: 70_000 },
  ],
  history: [],
};

describe('knowledge updates', () => {
  it('learn from a recovery when enabled: statistics and history move', () => {
    const { loop } = worldWithLoop(CRASH, MapekConfig.create(), { knowledge: EARLIER });

    loop.runContinuous(180_000);

    const learned = loop.exportKnowledge();
    expect(learned.stats).not.toEqual(EARLIER.stats);
    expect(learned.stats.find((s) => s.strategy === 'failover-and-reboot')).toMatchObject({
      failureType: 'NodeCrash',
      attempts: 1,
      successes: 1,
    });
    expect(learned.history.length).toBe(18);
  });

  it('can be disabled: then the statistics and history do not move, though the loop still recovers', () => {
    const { loop, world } = worldWithLoop(CRASH, MapekConfig.create().withKnowledgeUpdates(false), {
      knowledge: EARLIER,
    });

    loop.runContinuous(180_000);

    const frozen = loop.exportKnowledge();
    expect(frozen.stats).toEqual(EARLIER.stats);
    expect(frozen.history).toEqual([]);
    expect(world.outcome().measures[0]?.recoveredAtMs).not.toBeNull();
  });
});
