import { describe, expect, it } from 'vitest';
import type { Freeze, Weekday } from '../../../src/config/policy-schema.js';
import { isFrozen } from '../../../src/domain/freeze-window.js';

const at = (iso: string) => Date.parse(iso);
const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

function weekly(
  days: Weekday[],
  start: string,
  end: string,
  timezone: string,
  reason = 'Weekly freeze',
): Freeze {
  return { kind: 'weekly', reason, days, start: minutes(start), end: minutes(end), timezone };
}

const holiday: Freeze = {
  kind: 'absolute',
  reason: 'Holiday freeze',
  from: at('2026-12-24T00:00:00Z'),
  to: at('2026-12-27T00:00:00Z'),
};

describe('absolute freeze: [from, to)', () => {
  it.each([
    ['1 ms before from', '2026-12-23T23:59:59.999Z', false],
    ['exactly from', '2026-12-24T00:00:00.000Z', true],
    ['inside', '2026-12-25T12:00:00Z', true],
    ['1 ms before to', '2026-12-26T23:59:59.999Z', true],
    ['exactly to', '2026-12-27T00:00:00.000Z', false],
  ])('%s (%s) -> frozen %s', (_label, iso, frozen) => {
    const active = isFrozen([holiday], at(iso));
    expect(active !== undefined).toBe(frozen);
    if (active) expect(active).toEqual({ freeze: holiday, endsAt: at('2026-12-27T00:00:00Z') });
  });

  it('is not frozen with no freezes', () => {
    expect(isFrozen([], at('2026-12-25T00:00:00Z'))).toBeUndefined();
  });
});

// "No Friday-evening deploys" as the policy file example writes it; 23:59 means until local midnight.
const fridayEvening = weekly(['fri'], '16:00', '23:59', 'Europe/Berlin', 'No Friday-evening deploys');

describe('weekly freeze in Europe/Berlin across the 2026 DST changes', () => {
  // Spring forward 29 Mar 2026 (CET +1 -> CEST +2), fall back 25 Oct 2026 (CEST +2 -> CET +1).
  it.each([
    ['Fri 27 Mar, CET, 15:59 local', '2026-03-27T14:59:00Z', undefined],
    ['Fri 27 Mar, CET, 16:00 local', '2026-03-27T15:00:00Z', '2026-03-27T23:00:00Z'],
    ['Fri 27 Mar, CET, 23:59:30 local', '2026-03-27T22:59:30Z', '2026-03-27T23:00:00Z'],
    ['Sat 28 Mar, CET, 00:00 local', '2026-03-27T23:00:00Z', undefined],
    ['Fri 3 Apr, CEST, 15:59 local', '2026-04-03T13:59:00Z', undefined],
    ['Fri 3 Apr, CEST, 16:00 local', '2026-04-03T14:00:00Z', '2026-04-03T22:00:00Z'],
    [
      'Fri 3 Apr, CEST, 16:00 local seen as 15:00 with a stale +1 offset',
      '2026-04-03T15:00:00Z',
      '2026-04-03T22:00:00Z',
    ],
    ['Fri 3 Apr, CEST, 23:30 local', '2026-04-03T21:30:00Z', '2026-04-03T22:00:00Z'],
    ['Fri 3 Apr, 23:30Z is already Saturday local', '2026-04-03T23:30:00Z', undefined],
    ['Fri 23 Oct, CEST, 15:59 local', '2026-10-23T13:59:00Z', undefined],
    ['Fri 23 Oct, CEST, 16:00 local', '2026-10-23T14:00:00Z', '2026-10-23T22:00:00Z'],
    ['Fri 30 Oct, CET, 15:59 local', '2026-10-30T14:59:00Z', undefined],
    ['Fri 30 Oct, CET, 14:00Z is 15:00 local, not yet frozen', '2026-10-30T14:00:00Z', undefined],
    ['Fri 30 Oct, CET, 16:00 local', '2026-10-30T15:00:00Z', '2026-10-30T23:00:00Z'],
    ['Thu 29 Oct, CET, 17:00 local (wrong day)', '2026-10-29T16:00:00Z', undefined],
  ])('%s', (_label, iso, endsAt) => {
    const active = isFrozen([fridayEvening], at(iso));
    if (endsAt === undefined) expect(active).toBeUndefined();
    else expect(active).toEqual({ freeze: fridayEvening, endsAt: at(endsAt) });
  });

  it('ends at the instant a spring-forward jump skips the end time', () => {
    // 29 Mar 2026 02:00 CET jumps to 03:00 CEST at 01:00Z, so a 02:30 end is reached at 01:00Z.
    const night = weekly(['sun'], '01:00', '02:30', 'Europe/Berlin');
    expect(isFrozen([night], at('2026-03-29T00:30:00Z'))).toEqual({
      freeze: night,
      endsAt: at('2026-03-29T01:00:00Z'),
    });
    expect(isFrozen([night], at('2026-03-29T00:59:59Z'))?.endsAt).toBe(at('2026-03-29T01:00:00Z'));
    expect(isFrozen([night], at('2026-03-29T01:00:00Z'))).toBeUndefined();
  });

  it('spans the skipped hour: 01:00-04:00 on the spring-forward night lasts two real hours', () => {
    const night = weekly(['sun'], '01:00', '04:00', 'Europe/Berlin');
    expect(isFrozen([night], at('2026-03-28T23:59:59Z'))).toBeUndefined();
    expect(isFrozen([night], at('2026-03-29T00:00:00Z'))?.endsAt).toBe(at('2026-03-29T02:00:00Z'));
    expect(isFrozen([night], at('2026-03-29T01:30:00Z'))?.endsAt).toBe(at('2026-03-29T02:00:00Z'));
    expect(isFrozen([night], at('2026-03-29T02:00:00Z'))).toBeUndefined();
  });

  it('follows the wall clock through the repeated hour of the fall-back night', () => {
    // 25 Oct 2026: 02:00-02:59 local happens at 00:00Z-00:59Z (CEST) and again at 01:00Z-01:59Z (CET).
    const window = weekly(['sun'], '02:00', '02:30', 'Europe/Berlin');
    expect(isFrozen([window], at('2026-10-25T00:15:00Z'))?.endsAt).toBe(at('2026-10-25T00:30:00Z'));
    expect(isFrozen([window], at('2026-10-25T00:45:00Z'))).toBeUndefined();
    expect(isFrozen([window], at('2026-10-25T01:10:00Z'))?.endsAt).toBe(at('2026-10-25T01:30:00Z'));
    expect(isFrozen([window], at('2026-10-25T01:30:00Z'))).toBeUndefined();
  });
});

describe('weekly freeze in America/New_York across the 2026 DST changes', () => {
  // Spring forward 8 Mar 2026 (EST -5 -> EDT -4), fall back 1 Nov 2026 (EDT -4 -> EST -5).
  const newYork = weekly(['fri'], '16:00', '23:59', 'America/New_York');
  it.each([
    ['Fri 6 Mar, EST, 15:59 local', '2026-03-06T20:59:00Z', undefined],
    ['Fri 6 Mar, EST, 16:00 local', '2026-03-06T21:00:00Z', '2026-03-07T05:00:00Z'],
    ['Fri 13 Mar, EDT, 15:59 local', '2026-03-13T19:59:00Z', undefined],
    ['Fri 13 Mar, EDT, 16:00 local', '2026-03-13T20:00:00Z', '2026-03-14T04:00:00Z'],
    ['Fri 13 Mar, EDT, 23:59 local, Saturday in UTC', '2026-03-14T03:59:00Z', '2026-03-14T04:00:00Z'],
    ['Fri 30 Oct, EDT, 15:59 local', '2026-10-30T19:59:00Z', undefined],
    ['Fri 30 Oct, EDT, 16:00 local', '2026-10-30T20:00:00Z', '2026-10-31T04:00:00Z'],
    ['Fri 6 Nov, EST, 15:59 local', '2026-11-06T20:59:00Z', undefined],
    ['Fri 6 Nov, EST, 16:00 local', '2026-11-06T21:00:00Z', '2026-11-07T05:00:00Z'],
  ])('%s', (_label, iso, endsAt) => {
    const active = isFrozen([newYork], at(iso));
    if (endsAt === undefined) expect(active).toBeUndefined();
    else expect(active).toEqual({ freeze: newYork, endsAt: at(endsAt) });
  });
});

describe('weekdays are local, not UTC', () => {
  const sundayEvening = weekly(['sun'], '18:00', '23:59', 'America/Los_Angeles');
  it.each([
    ['Mon 01:59Z is Sun 17:59 PST', '2026-03-02T01:59:00Z', undefined],
    ['Mon 02:00Z is Sun 18:00 PST', '2026-03-02T02:00:00Z', '2026-03-02T08:00:00Z'],
    ['Mon 07:59Z is Sun 23:59 PST', '2026-03-02T07:59:00Z', '2026-03-02T08:00:00Z'],
    ['Mon 08:00Z is Mon 00:00 PST', '2026-03-02T08:00:00Z', undefined],
    ['Sun 20:00Z is Sun 12:00 PST', '2026-03-01T20:00:00Z', undefined],
  ])('sun window in Los Angeles: %s', (_label, iso, endsAt) => {
    const active = isFrozen([sundayEvening], at(iso));
    if (endsAt === undefined) expect(active).toBeUndefined();
    else expect(active?.endsAt).toBe(at(endsAt));
  });

  it('a mon window in Los Angeles is not in force on a UTC Monday that is still Sunday there', () => {
    const monday = weekly(['mon'], '00:00', '23:59', 'America/Los_Angeles');
    expect(isFrozen([monday], at('2026-03-02T02:00:00Z'))).toBeUndefined();
    expect(isFrozen([monday], at('2026-03-02T08:00:00Z'))?.endsAt).toBe(at('2026-03-03T08:00:00Z'));
  });

  it('a sat window in Auckland is in force on a UTC Friday', () => {
    const saturday = weekly(['sat'], '00:00', '12:00', 'Pacific/Auckland');
    // Fri 6 Mar 12:00Z is Sat 7 Mar 01:00 NZDT (+13).
    expect(isFrozen([saturday], at('2026-03-06T12:00:00Z'))?.endsAt).toBe(at('2026-03-06T23:00:00Z'));
    expect(isFrozen([saturday], at('2026-03-06T10:59:00Z'))).toBeUndefined();
  });

  it('honours every listed day and no other', () => {
    const weekend = weekly(['sat', 'sun'], '09:00', '17:00', 'UTC');
    const days = [
      '2026-06-01',
      '2026-06-02',
      '2026-06-03',
      '2026-06-04',
      '2026-06-05',
      '2026-06-06',
      '2026-06-07',
    ];
    const frozen = days.map((day) => isFrozen([weekend], at(`${day}T12:00:00Z`)) !== undefined);
    expect(frozen).toEqual([false, false, false, false, false, true, true]);
  });

  it('treats end as exclusive for an end other than 23:59', () => {
    const office = weekly(['mon'], '09:00', '17:00', 'UTC');
    expect(isFrozen([office], at('2026-06-01T16:59:59.999Z'))?.endsAt).toBe(at('2026-06-01T17:00:00Z'));
    expect(isFrozen([office], at('2026-06-01T17:00:00Z'))).toBeUndefined();
    expect(isFrozen([office], at('2026-06-01T09:00:00Z'))).toBeDefined();
  });
});

describe('several freezes', () => {
  it('reports the first listed freeze in force', () => {
    const always: Freeze = { kind: 'absolute', reason: 'Migration', from: 0, to: at('2030-01-01T00:00:00Z') };
    const active = isFrozen([fridayEvening, always], at('2026-03-27T15:00:00Z'));
    expect(active?.freeze).toBe(fridayEvening);
  });

  it('carries endsAt through back-to-back days until approvals really open', () => {
    const weekend = weekly(['fri', 'sat'], '00:00', '23:59', 'Europe/Berlin');
    // Fri 27 Mar 12:00Z -> frozen Friday and Saturday -> open Sun 29 Mar 00:00 CET = Sat 23:00Z.
    expect(isFrozen([weekend], at('2026-03-27T12:00:00Z'))?.endsAt).toBe(at('2026-03-28T23:00:00Z'));
  });

  it('carries endsAt from an absolute freeze into an overlapping weekly one', () => {
    const migration: Freeze = {
      kind: 'absolute',
      reason: 'Migration',
      from: at('2026-03-27T10:00:00Z'),
      to: at('2026-03-27T16:00:00Z'),
    };
    const active = isFrozen([migration, fridayEvening], at('2026-03-27T12:00:00Z'));
    expect(active).toEqual({ freeze: migration, endsAt: at('2026-03-27T23:00:00Z') });
  });

  it('does not chain across a gap', () => {
    const morning: Freeze = {
      kind: 'absolute',
      reason: 'Morning',
      from: at('2026-03-27T08:00:00Z'),
      to: at('2026-03-27T09:00:00Z'),
    };
    expect(isFrozen([morning, fridayEvening], at('2026-03-27T08:30:00Z'))?.endsAt).toBe(
      at('2026-03-27T09:00:00Z'),
    );
  });

  it('terminates for a freeze that never ends', () => {
    const always = weekly(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], '00:00', '23:59', 'UTC');
    const active = isFrozen([always], at('2026-06-01T12:00:00Z'));
    expect(active?.endsAt).toBeGreaterThan(at('2026-07-01T00:00:00Z'));
  });
});
