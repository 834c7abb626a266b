import { type CronSchedule, cronMatches, parseCron, parseGoDuration } from './cron.js';
import type { SyncWindow } from './types.js';

const MINUTE = 60_000;
const MAX_SCAN_MINUTES = 60 * 24 * 400;

export interface CompiledWindow {
  window: SyncWindow;
  cron: CronSchedule;
  durationMs: number;
}

export function compileWindows(windows: SyncWindow[]): CompiledWindow[] {
  return windows.map((window) => {
    if (window.kind !== 'allow' && window.kind !== 'deny')
      throw new Error(`bad sync window kind ${window.kind}`);
    return { window, cron: parseCron(window.schedule), durationMs: parseGoDuration(window.duration) };
  });
}

/**
 * Argo CD's SyncWindow.active: `schedule.Next(now - duration)` falls before now, i.e. some scheduled start in
 * (now - duration, now) exists. Starts are whole minutes.
 */
function isWindowActive(compiled: CompiledWindow, now: Date): boolean {
  const from = now.getTime() - compiled.durationMs;
  let minute = Math.floor(from / MINUTE) * MINUTE + MINUTE;
  for (let i = 0; minute < now.getTime() && i < MAX_SCAN_MINUTES; i++, minute += MINUTE) {
    if (cronMatches(compiled.cron, new Date(minute))) return true;
  }
  return false;
}

export interface WindowState {
  assigned: SyncWindow[];
  active: SyncWindow[];
  /** SyncWindows.CanSync(isManual=true), what the API server checks for a sync request. */
  canManualSync: boolean;
  /** SyncWindows.CanSync(isManual=false), what the controller checks before an automated sync. */
  canAutoSync: boolean;
}

export function evaluateWindows(compiled: CompiledWindow[], now: Date): WindowState {
  const active = compiled.filter((c) => isWindowActive(c, now)).map((c) => c.window);
  const assigned = compiled.map((c) => c.window);
  const activeDeny = active.filter((w) => w.kind === 'deny');
  let canManualSync = true;
  let canAutoSync = true;
  if (activeDeny.length > 0) {
    canManualSync = activeDeny.every((w) => w.manualSync === true);
    canAutoSync = false;
  } else if (!active.some((w) => w.kind === 'allow')) {
    const inactiveAllow = assigned.filter((w) => w.kind === 'allow');
    if (inactiveAllow.length > 0) {
      canManualSync = inactiveAllow.some((w) => w.manualSync === true);
      canAutoSync = false;
    }
  }
  return { assigned, active, canManualSync, canAutoSync };
}
