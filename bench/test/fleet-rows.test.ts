import { describe, expect, it } from 'vitest';
import { fleetRows } from '../report/fleet-rows.js';

describe('fleetRows', () => {
  it('lists every fleet target when the phase could not run, with the reason once', () => {
    const rows = fleetRows(
      200,
      2,
      {},
      'the bot did not start with the fleet policy: unknown key(s) "groups"',
    );
    expect(rows.map((r) => r.target)).toEqual([
      '= 1 message',
      '≤ 2000 ms',
      null,
      '= 200 apps',
      '= 0 syncs',
      '≤ 10 messages',
      '≤ 1 update',
    ]);
    expect(rows.every((r) => r.ours === null)).toBe(true);
    expect(rows[0]?.note).toBe(
      'not run: the bot did not start with the fleet policy: unknown key(s) "groups"',
    );
    expect(
      rows.slice(1).every((r) => r.note === 'not run (the reason is on the first fleet row not run)'),
    ).toBe(true);
    expect(rows[2]?.name).toBe('fleet: approve → last of 200 syncs issued (2 waves)');
  });

  it('judges measured rows against their targets and marks the rest not run', () => {
    const rows = fleetRows(
      200,
      2,
      { topLevel: { ours: 1 }, cardComplete: { ours: 2500, note: 'slow' } },
      'the fleet card shows no Approve button',
    );
    expect(rows[0]).toMatchObject({ ours: 1, met: true });
    expect(rows[1]).toMatchObject({ ours: 2500, met: false, note: 'slow' });
    expect(rows[2]?.note).toBe('not run: the fleet card shows no Approve button');
    expect(rows[3]).toMatchObject({ ours: null, met: false });
  });
});
