import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { globsIntersect } from '../domain/glob-intersect.js';
import { describeNamePatternProblem, namePatternProblem } from '../domain/name-pattern.js';
import { parseDuration } from './duration.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const duration = (example: string) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not a duration; write it like "${example}" (units ms, s, m, h, d)`,
      });
      return z.NEVER;
    }
    return ms;
  });

// YAML 1.2 keeps unquoted timestamps as strings, YAML 1.1 loaders make Dates: accept both.
const instant = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms) || (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value))) {
    ctx.addIssue({
      code: 'custom',
      message: `"${String(value)}" is not an RFC 3339 timestamp like 2026-12-24T00:00:00Z`,
    });
    return z.NEVER;
  }
  return ms;
});

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like "16:00"')
  .transform((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone like "Europe/Berlin"' },
);

const slackUserId = z
  .string()
  .regex(/^(\*|[UW][A-Z0-9]{2,})$/, 'must be a Slack user id like U0123ABC or "*"');
const slackGroupId = z.string().regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group id like S0123ABC');
const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id like C0123ABC');

const principals = z.strictObject({
  users: z.array(slackUserId).default([]),
  groups: z.array(slackGroupId).default([]),
});

const absoluteFreeze = z
  .strictObject({ reason: z.string().min(1), from: instant, to: instant })
  .refine((f) => f.to > f.from, { message: '"to" must be after "from"', path: ['to'] })
  .transform((f) => ({ kind: 'absolute' as const, ...f }));

const weeklyFreeze = z
  .strictObject({
    reason: z.string().min(1),
    weekly: z.strictObject({
      days: z.array(z.enum(WEEKDAYS)).min(1),
      start: clockTime,
      end: clockTime,
      timezone: timeZone,
    }),
  })
  .refine((f) => f.weekly.end > f.weekly.start, {
    message: '"end" must be after "start" on the same day',
    path: ['weekly', 'end'],
  })
  .transform((f) => ({ kind: 'weekly' as const, reason: f.reason, ...f.weekly }));

// Chosen by shape rather than z.union, so a mistake inside a weekly window is reported where it is.
const freeze = z.unknown().transform((value, ctx) => {
  const schema = value && typeof value === 'object' && 'weekly' in value ? weeklyFreeze : absoluteFreeze;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues)
    ctx.addIssue({
      ...issue,
      code: 'custom',
      message: describeIssue(issue).replace(/^[^:]*: /, ''),
      path: issue.path,
    } as never);
  return z.NEVER;
});

const environment = z.strictObject({
  channel: slackChannelId.optional(),
  approvers: principals.default({ users: [], groups: [] }),
  requiredApprovals: z.number().int().min(0).max(10).default(1),
  allowSelfApproval: z.boolean().default(false),
  requireGreenChecks: z.boolean().default(false),
  // Check run names or status contexts that must be green; listing any turns the checks gate on (as
  // requireGreenChecks does). A listed one that has not reported counts as pending; a failing check
  // that is not listed still refuses (a red build is never deployed), a pending one that is not listed
  // does not hold the deploy up.
  requiredChecks: z
    .array(z.string().trim().min(1, 'a check name must not be empty'))
    .default([])
    .transform((names) => [...new Set(names)]),
  rollback: principals.optional(),
  // Who may Promote, Promote fully, Abort and Retry an Argo Rollout from the card (default: the approvers).
  promote: principals.optional(),
  freezes: z.array(freeze).default([]),
  approvalTimeout: duration('24h').default(86_400_000),
  remindAfter: duration('30m').default(1_800_000),
  // Who may approve through a freeze (Break glass) and declare one from Slack; need not be approvers.
  breakGlass: principals.default({ users: [], groups: [] }),
  // A sync running longer than this (from Argo CD's operationState.startedAt) is marked stuck.
  syncTimeout: duration('30m').default(1_800_000),
  githubDeployments: z.boolean().optional(),
  // After a deploy succeeds, DM each Slack user who authored a commit in it (default: prod, production).
  notifyAuthors: z.boolean().optional(),
});

// Matched against every application name Argo CD reports: the same linear `*`/`?` patterns as user text.
const namePattern = z.string().superRefine((pattern, ctx) => {
  const problem = namePatternProblem(pattern);
  if (problem)
    ctx.addIssue({ code: 'custom', message: `"${pattern}": ${describeNamePatternProblem(problem)}` });
});

const appRule = z.strictObject({
  match: namePattern,
  project: z.string().min(1).optional(),
  // Which Argo CD instance(s) the rule covers (default every one); checked against ARGOCD_INSTANCES in load-config.
  instance: namePattern.optional(),
  environment: z.string().min(1),
});

// A fleet group: apps that move together get one card per target revision, synced in waves.
const fleetGroup = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and "-", like "event-ingestion-fleet"'),
  match: namePattern,
  instance: namePattern.default('*'),
  environment: z.string().min(1),
  waves: z.array(namePattern).default([]),
});

export type FleetGroup = z.output<typeof fleetGroup>;

/** The group's `match` with the text after its last `*` cut off ("event-ingestion-*" of "event-ingestion-*-prod"). */
function matchWithoutSuffix(match: string): string {
  const star = match.lastIndexOf('*');
  return star < 0 ? match : match.slice(0, star + 1);
}

const policySchema = z
  .strictObject({
    channels: z
      .strictObject({ deploys: slackChannelId.optional(), releases: slackChannelId.optional() })
      .default({}),
    github: z
      .strictObject({
        repo: z
          .string()
          .regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name"')
          .optional(),
      })
      .default({}),
    people: z
      .array(
        z.strictObject({
          slack: slackUserId,
          github: z.string().min(1),
          email: z.string().email().optional(),
          // Further commit e-mails of the same person (a personal address, an old employer's): each
          // counts for self-approval like `email`, so a commit under any of them is theirs.
          emails: z.array(z.string().email()).optional(),
        }),
      )
      .default([]),
    environments: z.record(z.string().regex(/^[\w-]+$/), environment).default({}),
    reconcileInterval: duration('60s').default(60_000),
    // Who may read `/deploy-status audit <app>`; absent = every member, as before the key existed.
    audit: principals.optional(),
    // Apps that move together (one fleet card per group and revision); checked before `apps`.
    groups: z.array(fleetGroup).default([]),
    apps: z.array(appRule).min(1, 'list at least one app rule, e.g. { match: "*", environment: dev }'),
  })
  .superRefine((policy, ctx) => {
    const names = new Map<string, number>();
    policy.groups.forEach((group, i) => {
      const first = names.get(group.name);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['groups', i, 'name'],
          message: `"${group.name}" is already the name of groups.${first}; give each group its own name`,
        });
      else names.set(group.name, i);
      if (!(group.environment in policy.environments))
        ctx.addIssue({
          code: 'custom',
          path: ['groups', i, 'environment'],
          message: `environment "${group.environment}" is not defined under "environments"`,
        });
      const short = matchWithoutSuffix(group.match);
      group.waves.forEach((wave, w) => {
        if (!globsIntersect(wave, group.match) && !globsIntersect(wave, short))
          ctx.addIssue({
            code: 'custom',
            path: ['groups', i, 'waves', w],
            message: `"${wave}" can match no app of the group (its match is "${group.match}"); write a glob for some of its apps, e.g. "*-canary"`,
          });
      });
    });
    policy.apps.forEach((rule, i) => {
      if (!(rule.environment in policy.environments)) {
        ctx.addIssue({
          code: 'custom',
          path: ['apps', i, 'environment'],
          message: `environment "${rule.environment}" is not defined under "environments"`,
        });
      }
    });
  })
  .transform((policy) => ({
    ...policy,
    environments: Object.fromEntries(
      Object.entries(policy.environments).map(([name, env]) => [
        name,
        {
          ...env,
          name,
          rollback: env.rollback ?? env.approvers,
          promote: env.promote ?? env.approvers,
          githubDeployments: env.githubDeployments ?? (name === 'prod' || name === 'production'),
          notifyAuthors: env.notifyAuthors ?? (name === 'prod' || name === 'production'),
        },
      ]),
    ),
  }));

export type Policy = z.output<typeof policySchema>;
export type EnvironmentPolicy = Policy['environments'][string];
export type Freeze = EnvironmentPolicy['freezes'][number];
export class PolicyFileError extends Error {
  readonly code = 'policy_file_invalid';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Parses the YAML text of deploybot.yaml; throws PolicyFileError listing every problem with its path. */
export function parsePolicy(yamlText: string): Policy {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (error) {
    throw new PolicyFileError([`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  const result = policySchema.safeParse(raw ?? {});
  if (!result.success) throw new PolicyFileError(result.error.issues.map(describeIssue));
  return result.data;
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys')
    return `${path}: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${path}: ${issue.message}`;
}
