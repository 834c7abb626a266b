import type { Freeze, Weekday } from '../config/policy-schema.js';

/** A freeze in force at some instant, and the first instant at which no freeze applies any more. */
export interface ActiveFreeze {
  freeze: Freeze;
  endsAt: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
// The schema cannot spell 24:00, so "23:59" is how operators write "until midnight": a freeze
// "fri 16:00–23:59" must not leave the last minute of Friday open.
const LAST_MINUTE_OF_DAY = 23 * 60 + 59;
// Bounds the chaining of back-to-back windows (a freeze on every day of the week never ends).
const MAX_CHAINED_WINDOWS = 64;

interface WallClock {
  weekday: Weekday;
  /** The local wall-clock time written as if it were UTC: comparable and addable, but not an instant. */
  wallMs: number;
  msOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock in `timeZone` at `instant`, from the platform's tz database (never a fixed offset). */
function readWallClock(instant: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const subSecond = ((instant % 1000) + 1000) % 1000;
  const wallMs =
    Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    ) + subSecond;
  const dayStart = Math.floor(wallMs / DAY_MS) * DAY_MS;
  return { weekday: (parts.weekday ?? '').toLowerCase() as Weekday, wallMs, msOfDay: wallMs - dayStart };
}

/**
 * The first instant after `after` whose wall clock in `timeZone` reads `wallMs` or later.
 * A wall time repeated by a DST fall-back yields its first occurrence after `after`; a wall time
 * skipped by a spring-forward yields the instant of the jump (the first moment at or past it).
 */
function findInstantOfWallClock(wallMs: number, timeZone: string, after: number): number {
  const offsets = new Set(
    [wallMs - DAY_MS, wallMs + DAY_MS].map((t) => readWallClock(t, timeZone).wallMs - t),
  );
  const exact = [...offsets]
    .map((offset) => wallMs - offset)
    .filter((t) => readWallClock(t, timeZone).wallMs === wallMs)
    .sort((a, b) => a - b);
  const next = exact.find((t) => t > after);
  if (next !== undefined) return next;
  // Skipped wall time: bisect between the two readings of it for the instant the clock jumps over it.
  const candidates = [...offsets].map((offset) => wallMs - offset).sort((a, b) => a - b);
  let low = candidates[0] ?? wallMs;
  let high = candidates[candidates.length - 1] ?? wallMs;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (readWallClock(mid, timeZone).wallMs >= wallMs) high = mid;
    else low = mid;
  }
  return Math.max(high, after + 1);
}

function endOfWindowMinutes(end: number): number {
  return end === LAST_MINUTE_OF_DAY ? 24 * 60 : end;
}

/** The end of `freeze`'s window that contains `instant`, or undefined when `instant` is outside it. */
function findWindowEnd(freeze: Freeze, instant: number): number | undefined {
  if (freeze.kind === 'absolute')
    return freeze.from <= instant && instant < freeze.to ? freeze.to : undefined;
  const local = readWallClock(instant, freeze.timezone);
  if (!freeze.days.includes(local.weekday)) return undefined;
  const startMs = freeze.start * MINUTE_MS;
  const endMs = endOfWindowMinutes(freeze.end) * MINUTE_MS;
  if (local.msOfDay < startMs || local.msOfDay >= endMs) return undefined;
  const endWall = local.wallMs - local.msOfDay + endMs;
  return findInstantOfWallClock(endWall, freeze.timezone, instant);
}

/**
 * The first freeze (in the order the policy lists them) in force at `now`: absolute windows are
 * [from, to); weekly windows are [start, end) on the listed local weekdays in their IANA zone.
 * `endsAt` is when approvals open again: the end of that window, carried through any window that
 * continues it without a gap (so "fri" + "sat" all-day freezes end on Sunday 00:00 local).
 */
export function isFrozen(freezes: readonly Freeze[], now: number): ActiveFreeze | undefined {
  let endsAt: number | undefined;
  let freeze: Freeze | undefined;
  for (const candidate of freezes) {
    const end = findWindowEnd(candidate, now);
    if (end !== undefined) {
      freeze = candidate;
      endsAt = end;
      break;
    }
  }
  if (!freeze || endsAt === undefined) return undefined;
  for (let i = 0; i < MAX_CHAINED_WINDOWS; i++) {
    const at: number = endsAt;
    const later = freezes.map((f) => findWindowEnd(f, at)).filter((end): end is number => end !== undefined);
    if (later.length === 0) break;
    endsAt = Math.max(...later);
  }
  return { freeze, endsAt };
}

/** A freeze declared from Slack (`/deploy-freeze`): the whole environment, from now until `until`. */
export interface SlackFreeze {
  environment: string;
  reason: string;
  /** The Slack user who declared it. */
  user: string;
  from: number;
  until: number;
}

/** The freeze that refuses approvals at some instant, wherever it was declared. */
export interface FreezeInForce {
  reason: string;
  endsAt: number;
  source: 'policy' | 'slack';
  /** Who declared it (Slack freezes); policy freezes were declared in deploybot.yaml. */
  by?: string;
  /** The zone its fallback date text is written in (a weekly window's own, else UTC). */
  timeZone: string;
}

/**
 * Policy windows and Slack freezes together: the one that holds longest is the one to name (approvals
 * open again only when it ends), a Slack freeze on a tie because it names a person to talk to. A Slack
 * freeze is in force on [from, until), whatever the store's TTL did not yet remove.
 */
export function findFreezeInForce(
  policyFreezes: readonly Freeze[],
  slackFreezes: readonly SlackFreeze[],
  now: number,
): FreezeInForce | undefined {
  const candidates: FreezeInForce[] = [];
  for (const freeze of slackFreezes) {
    if (freeze.from <= now && now < freeze.until)
      candidates.push({
        reason: freeze.reason,
        endsAt: freeze.until,
        source: 'slack',
        by: freeze.user,
        timeZone: 'UTC',
      });
  }
  const policy = isFrozen(policyFreezes, now);
  if (policy) {
    const timeZone = policy.freeze.kind === 'weekly' ? policy.freeze.timezone : 'UTC';
    candidates.push({ reason: policy.freeze.reason, endsAt: policy.endsAt, source: 'policy', timeZone });
  }
  let best: FreezeInForce | undefined;
  for (const candidate of candidates) {
    if (
      !best ||
      candidate.endsAt > best.endsAt ||
      (candidate.endsAt === best.endsAt && candidate.source === 'slack')
    )
      best = candidate;
  }
  return best;
}
