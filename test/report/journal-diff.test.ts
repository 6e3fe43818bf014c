import { describe, expect, it } from 'vitest';
import { firstJournalDifference } from '../../src/report/journal-diff.ts';

const journal = () => ({
  format: 'mapek-journal/1',
  mapekVersion: '0.1.0',
  verdict: 'fail',
  faults: [{ id: 'f1', mttrMs: 2000, actions: [{ outcome: 'succeeded' }] }],
  summary: { availability: 0.9, lostWrites: 0 },
  traceHash: 'a'.repeat(64),
  wall: { wallMs: 12, simSpeedup: 100 },
});

describe('journal differences', () => {
  it('find none between equal journals, whatever their wall-clock block and version', () => {
    const now = { ...journal(), mapekVersion: '0.2.0', wall: { wallMs: 99, simSpeedup: 1 } };

    expect(firstJournalDifference(journal(), now)).toBeNull();
  });

  it('name the first differing field with both values', () => {
    const recorded = { ...journal(), verdict: 'pass', summary: { availability: 0.99, lostWrites: 0 } };

    expect(firstJournalDifference(recorded, journal())).toEqual({
      field: 'verdict',
      recorded: '"pass"',
      now: '"fail"',
    });
  });

  it('name a field deep in a list', () => {
    const recorded = journal();
    recorded.faults[0] = { id: 'f1', mttrMs: 2000, actions: [{ outcome: 'failed' }] };

    expect(firstJournalDifference(recorded, journal())?.field).toBe('faults[0].actions[0].outcome');
  });

  it('name a field one side lacks, and a list of another length', () => {
    const extra = { ...journal(), summary: { availability: 0.9, lostWrites: 0, added: 1 } };
    const shorter = { ...journal(), faults: [] };

    expect([firstJournalDifference(extra, journal()), firstJournalDifference(shorter, journal())]).toEqual([
      { field: 'summary.added', recorded: '1', now: 'undefined' },
      { field: 'faults.length', recorded: '0', now: '1' },
    ]);
  });
});
