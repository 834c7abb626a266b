/** What a `/deploy-status` text asks for. Pure: parsing never touches Argo CD or the store. */
import {
  describeNamePatternProblem,
  MAX_PATTERN_LENGTH,
  namePatternProblem,
} from '../domain/name-pattern.js';

export interface AppFilter {
  /** `<instance>/<glob>`: only the apps of that Argo CD instance. */
  instance?: string;
  environment?: string;
  project?: string;
  glob?: string;
  /** A bare word: an environment, else a project, else an app glob (resolved against the policy and apps). */
  term?: string;
}

export type StatusQuery =
  | { kind: 'help'; problem?: string }
  /** `instance` when the text named one (`audit eu/api`); else the app's one instance is looked for. */
  | { kind: 'audit'; app: string; instance?: string }
  /** Delivery stats of an environment or of the apps matching a glob (unset: every environment). */
  | { kind: 'stats'; target?: string; periodDays: StatsPeriodDays }
  | { kind: 'notify'; on: boolean }
  | { kind: 'list'; filter: AppFilter; pendingOnly: boolean; mine: boolean; text: string };

/** Longest text answered; anything longer gets the usage answer before any parsing or matching. */
const MAX_QUERY_LENGTH = MAX_PATTERN_LENGTH;
const MAX_TOKENS = 8;
const STATS_PERIODS = [7, 30, 90] as const;
export type StatsPeriodDays = (typeof STATS_PERIODS)[number];
const STATS_USAGE =
  '`stats` takes an environment or an app pattern and a period: `/deploy-status stats [env | app-glob] [7d | 30d | 90d]`';

/** `stats [env | app-glob] [7d | 30d | 90d]`, in either order; default every environment over 30 days. */
function parseStatsQuery(args: readonly string[]): StatusQuery {
  if (args.length > 2) return { kind: 'help', problem: STATS_USAGE };
  let target: string | undefined;
  let periodDays: StatsPeriodDays | undefined;
  for (const arg of args) {
    if (/^\d+[a-z]*$/i.test(arg)) {
      const days = /^(\d+)d$/i.exec(arg)?.[1];
      const period = STATS_PERIODS.find((p) => String(p) === days);
      if (!period || periodDays !== undefined) return { kind: 'help', problem: STATS_USAGE };
      periodDays = period;
      continue;
    }
    if (target !== undefined) return { kind: 'help', problem: STATS_USAGE };
    const problem = badName(arg);
    if (problem) return { kind: 'help', problem };
    target = arg;
  }
  return { kind: 'stats', target, periodDays: periodDays ?? 30 };
}

const PREFIXED = /^(env|environment|project|app):(.+)$/i;
/** An instance name as ARGOCD_INSTANCES allows it. */
const INSTANCE = /^[a-z0-9-]+$/;

/** `eu/api-*` → instance and the rest; a text without `/` has no instance part. */
function splitInstance(value: string): { instance?: string; rest: string } | { problem: string } {
  const slash = value.indexOf('/');
  if (slash < 0) return { rest: value };
  const instance = value.slice(0, slash);
  const rest = value.slice(slash + 1);
  if (!INSTANCE.test(instance) || rest.length === 0 || rest.includes('/'))
    return {
      problem: `\`${value.slice(0, 40).replace(/`/g, "'")}\`: write one Argo CD instance and an app pattern, like \`eu/api-*\`.`,
    };
  return { instance, rest };
}

function collapseSpace(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** The text as typed, kept short enough for a button value and a header. */
export function normalizeStatusText(text: string): string {
  return collapseSpace(text).slice(0, 500);
}

/** A name or pattern the bot will compare: the same allow-list and cap as every user pattern. */
function badName(value: string): string | undefined {
  const problem = namePatternProblem(value);
  return problem
    ? `\`${value.slice(0, 40).replace(/`/g, "'")}\`: ${describeNamePatternProblem(problem)}.`
    : undefined;
}

export function parseStatusQuery(rawText: string): StatusQuery {
  // Checked on the raw text, before any regular expression runs over it.
  const raw = rawText ?? '';
  if (raw.length > MAX_QUERY_LENGTH * 4 || collapseSpace(raw).length > MAX_QUERY_LENGTH)
    return { kind: 'help', problem: `A query may be at most ${MAX_QUERY_LENGTH} characters.` };
  const text = normalizeStatusText(raw);
  const tokens = text.split(' ').filter(Boolean);
  const first = tokens[0]?.toLowerCase();
  if (first === 'help' || first === '-h' || first === '--help' || first === '?') return { kind: 'help' };
  if (first === 'audit') {
    const named = tokens[1];
    if (!named || tokens.length > 2)
      return { kind: 'help', problem: '`audit` takes one application name: `/deploy-status audit <app>`' };
    const split = splitInstance(named);
    if ('problem' in split) return { kind: 'help', problem: split.problem };
    const app = split.rest;
    const problem = badName(app);
    if (problem || app.includes('*') || app.includes('?'))
      return { kind: 'help', problem: problem ?? '`audit` takes one application name, not a pattern.' };
    return split.instance ? { kind: 'audit', app, instance: split.instance } : { kind: 'audit', app };
  }
  if (first === 'stats') return parseStatsQuery(tokens.slice(1));
  if (first === 'notify') {
    const setting = tokens[1]?.toLowerCase();
    if (tokens.length !== 2 || (setting !== 'on' && setting !== 'off'))
      return {
        kind: 'help',
        problem: '`notify` takes `on` or `off`: `/deploy-status notify off` stops the DMs about your deploys',
      };
    return { kind: 'notify', on: setting === 'on' };
  }
  if (tokens.length > MAX_TOKENS) return { kind: 'help', problem: 'Too many words in the query.' };
  const filter: AppFilter = {};
  let pendingOnly = false;
  let mine = false;
  for (const token of tokens) {
    const lower = token.toLowerCase();
    if (lower === 'pending') {
      pendingOnly = true;
      continue;
    }
    if (lower === 'mine') {
      mine = true;
      continue;
    }
    const prefixed = PREFIXED.exec(token);
    const key = prefixed?.[1]?.toLowerCase();
    const value = prefixed?.[2];
    const slot: keyof AppFilter =
      key === 'env' || key === 'environment'
        ? 'environment'
        : key === 'project'
          ? 'project'
          : key === 'app'
            ? 'glob'
            : 'term';
    const split = splitInstance(value ?? token);
    if ('problem' in split) return { kind: 'help', problem: split.problem };
    // `eu/<glob>` names an instance and an app pattern (the part after the instance is never an environment).
    const into: keyof AppFilter = split.instance && slot === 'term' ? 'glob' : slot;
    if (split.instance && into !== 'glob')
      return {
        kind: 'help',
        problem: `\`${token}\`: an instance goes with an app pattern, like \`eu/api-*\`.`,
      };
    if (filter[into] !== undefined || (split.instance && filter.instance !== undefined))
      return { kind: 'help', problem: `Use one filter of each kind; \`${token}\` is one too many.` };
    const name = split.rest;
    const problem = badName(name);
    if (problem) return { kind: 'help', problem };
    filter[into] = name;
    if (split.instance) filter.instance = split.instance;
  }
  return { kind: 'list', filter, pendingOnly, mine, text };
}

/** A stable key for the answer cache: the same apps asked the same way. */
export function statusQueryKey(query: Extract<StatusQuery, { kind: 'list' }>, user: string): string {
  const { filter } = query;
  return JSON.stringify([
    filter.instance ?? '',
    filter.environment ?? '',
    filter.project ?? '',
    filter.glob ?? '',
    filter.term ?? '',
    query.pendingOnly,
    query.mine ? user : '',
  ]);
}
