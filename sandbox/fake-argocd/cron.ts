/**
 * Just enough of robfig/cron's standard parser (what Argo CD sync windows use): five fields, `*`, `?`, numbers,
 * names, ranges, lists, steps and the `@daily`-style descriptors. Times are read in UTC.
 */
interface Field {
  values: Set<number>;
  star: boolean;
}

export interface CronSchedule {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function parseValue(text: string, names: string[] | undefined, offset: number): number {
  const index = names?.indexOf(text.toLowerCase()) ?? -1;
  if (index >= 0) return index + offset;
  if (!/^\d+$/.test(text)) throw new Error(`bad cron value "${text}"`);
  return Number(text);
}

function parseField(spec: string, min: number, max: number, names?: string[], nameOffset = 0): Field {
  const values = new Set<number>();
  for (const part of spec.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad cron step in "${part}"`);
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      low = min;
      high = max;
    } else {
      const [from = '', to] = range.split('-');
      low = parseValue(from, names, nameOffset);
      high = to === undefined ? (stepText === undefined ? low : max) : parseValue(to, names, nameOffset);
    }
    if (low < min || high > max || low > high) throw new Error(`cron field "${part}" is out of range`);
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return { values, star: spec.startsWith('*') || spec.startsWith('?') };
}

export function parseCron(schedule: string): CronSchedule {
  const expanded = DESCRIPTORS[schedule.trim()] ?? schedule.trim();
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${schedule}" needs 5 fields`);
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
  const weekdays = parseField(dow, 0, 7, DAYS);
  // 7 is Sunday too.
  if (weekdays.values.delete(7)) weekdays.values.add(0);
  return {
    minute: parseField(minute, 0, 59),
    hour: parseField(hour, 0, 23),
    dom: parseField(dom, 1, 31),
    month: parseField(month, 1, 12, MONTHS, 1),
    dow: weekdays,
  };
}

export function cronMatches(cron: CronSchedule, at: Date): boolean {
  if (!cron.minute.values.has(at.getUTCMinutes())) return false;
  if (!cron.hour.values.has(at.getUTCHours())) return false;
  if (!cron.month.values.has(at.getUTCMonth() + 1)) return false;
  const domMatch = cron.dom.values.has(at.getUTCDate());
  const dowMatch = cron.dow.values.has(at.getUTCDay());
  // robfig/cron: when either day field is a star both must match, otherwise either may.
  return cron.dom.star || cron.dow.star ? domMatch && dowMatch : domMatch || dowMatch;
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration for the units a window uses. */
export function parseGoDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new Error(`bad duration "${text}"`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] as string] as number), 0);
}
