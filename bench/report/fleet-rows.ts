import { atMost, exactly, makeRow, type ResultRow } from './result.js';

/** The fleet phase's targets (INTERFACE.md "Fleet cards", issue 14's benchmark). */
const CARD_COMPLETE_MS = 2000;
/** A thread note per wave and its end, a release announcement, a DM: a handful, where one per app would be hundreds. */
const MAX_MESSAGES_DURING_WAVES = 10;

/** Rows named as the measured ones, so a run before the bot knows `groups` still lists every fleet target. */
export function fleetRows(apps: number, waves: number, measured: FleetMeasures, why?: string): ResultRow[] {
  const spec: Record<RowKey, Omit<Parameters<typeof makeRow>[0], 'ours'>> = {
    topLevel: {
      name: `fleet: top-level messages for one revision of ${apps} apps`,
      unit: 'messages',
      target: exactly(1, 'message'),
    },
    cardComplete: {
      name: `fleet: last notification → card complete (${apps} rows at the revision)`,
      unit: 'ms',
      target: atMost(CARD_COMPLETE_MS, 'ms'),
    },
    approveToSyncs: { name: `fleet: approve → last of ${apps} syncs issued (${waves} waves)`, unit: 'ms' },
    syncedOnce: {
      name: 'fleet: apps synced exactly once, pinned to the revision',
      unit: 'apps',
      target: exactly(apps, 'apps'),
    },
    waveOrder: {
      name: 'fleet: syncs issued before an earlier wave',
      unit: 'syncs',
      target: exactly(0, 'syncs'),
    },
    messagesDuringWaves: {
      name: 'fleet: Slack messages posted from approve to the last wave',
      unit: 'messages',
      target: atMost(MAX_MESSAGES_DURING_WAVES, 'messages'),
    },
    updateRate: {
      name: 'fleet: chat.update of the card, most in any 1 s',
      unit: 'updates',
      target: atMost(1, 'update'),
    },
  };
  let reasonGiven = false;
  return (Object.keys(spec) as RowKey[]).map((key) => {
    const value = measured[key];
    // The reason once, on the first row not measured; the others point at it (the table numbers each note).
    const notRun = reasonGiven
      ? 'not run (the reason is on the first fleet row not run)'
      : `not run: ${why ?? 'not measured'}`;
    if (!value) reasonGiven = true;
    const note = value ? value.note : notRun;
    return makeRow({ ...spec[key], ours: value?.ours ?? null, ...(note ? { note } : {}) });
  });
}

export type FleetMeasures = Partial<Record<RowKey, { ours: number | null; note?: string }>>;

type RowKey =
  | 'topLevel'
  | 'cardComplete'
  | 'approveToSyncs'
  | 'syncedOnce'
  | 'waveOrder'
  | 'messagesDuringWaves'
  | 'updateRate';
