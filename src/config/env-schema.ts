import { z } from 'zod';
import { redisUrlSchema } from './redis-url.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Shorter than this, a shared secret can be guessed; real tokens of Slack, Argo CD and GitHub are all longer. */
const MIN_SECRET_LENGTH = 16;
// Left in from an example file: the start must stop rather than run with a secret everyone knows.
const PLACEHOLDER =
  /replace[-_ ]?me|change[-_ ]?me|changeit|placeholder|your[-_ ]?(?:token|secret)|^<.*>$|^x+$/i;

/** A secret's checks; the messages never repeat the value. */
const secretValue = (what: string) =>
  z
    .string({ error: `required: ${what}` })
    .min(1, `required: ${what}`)
    .refine((value) => !PLACEHOLDER.test(value), {
      message: `is a placeholder (like "replace-me"); set the real value: ${what}`,
      abort: true,
    })
    .refine((value) => value.length >= MIN_SECRET_LENGTH, {
      message: `is shorter than ${MIN_SECRET_LENGTH} characters; use the real value (or \`openssl rand -hex 32\` for a shared secret): ${what}`,
    });
export const secret = (what: string) => secretValue(what);
export const url = (what: string) => z.url({ error: `must be a URL: ${what}` });

export const envSchema = z.object({
  SLACK_BOT_TOKEN: secret('the Slack bot token (xoxb-...) from "OAuth & Permissions"'),
  SLACK_SIGNING_SECRET: secretValue('the signing secret from "Basic Information"').optional(),
  SLACK_APP_TOKEN: secretValue('an app-level token (xapp-...) with connections:write')
    .refine((value) => value.startsWith('xapp-'), 'must be an app-level token starting with xapp-')
    .optional(),
  SLACK_API_URL: url('the Slack Web API base, e.g. https://slack.com/api/').default('https://slack.com/api/'),
  SLACK_TEAM_ID: z
    .string()
    .regex(
      /^[TE][A-Z0-9]+$/,
      'must be a Slack workspace id like T0123ABC, or an Enterprise Grid organization id like E0123ABC',
    )
    .optional(),
  SLACK_APP_ID: z
    .string()
    .regex(/^A[A-Z0-9]+$/, 'must be a Slack app id like A0123ABC')
    .optional(),
  // Argo CD: declared here as text, checked and read into `Config.argocd` by argocd-instances.ts (one
  // instance from these four, or ARGOCD_INSTANCES and each instance's ARGOCD_<NAME>_*). Read them there.
  ARGOCD_INSTANCES: z.string().optional(),
  ARGOCD_URL: z.string().optional(),
  ARGOCD_TOKEN: z.string().optional(),
  ARGOCD_WEBHOOK_SECRET: z.string().optional(),
  ARGOCD_UI_URL: z.string().optional(),
  GITHUB_TOKEN: secretValue('a GitHub token with contents, checks and deployments access').optional(),
  GITHUB_APP_ID: z.string().regex(/^\d+$/, 'must be the numeric GitHub App id').optional(),
  GITHUB_APP_PRIVATE_KEY: secretValue('the GitHub App private key (PEM)').optional(),
  GITHUB_APP_INSTALLATION_ID: z.string().regex(/^\d+$/, 'must be the numeric installation id').optional(),
  GITHUB_API_URL: url('the GitHub REST API base').default('https://api.github.com'),
  GITHUB_WEBHOOK_SECRET: secretValue('the secret of the GitHub webhook').optional(),
  // One server, Sentinel or Cluster (see redis-url.ts for the forms).
  REDIS_URL: redisUrlSchema
    .refine(
      (value) => !PLACEHOLDER.test(value),
      'holds a placeholder password (like "replace-me"); set the real one',
    )
    .optional(),
  REDIS_KEY_PREFIX: z.string().min(1).default('deploybot:'),
  DEPLOYBOT_CONFIG: z.string().min(1).default('./deploybot.yaml'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

/** Rules across variables, checked even when single values are wrong so every problem is listed at once. */
export function crossFieldEnvProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_SIGNING_SECRET: required in HTTP mode: the signing secret from "Basic Information" (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  const app = [env.GITHUB_APP_ID, env.GITHUB_APP_PRIVATE_KEY, env.GITHUB_APP_INSTALLATION_ID];
  if (app.some(Boolean) && !app.every(Boolean)) {
    problems.push(
      'GITHUB_APP_ID: GitHub App auth needs all of GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID',
    );
  }
  return problems;
}

export type Env = z.output<typeof envSchema>;

/** Env names whose values must never be printed or logged (each Argo CD instance's: `ArgoInstance`). */
export const SECRET_ENV_NAMES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'ARGOCD_TOKEN',
  'ARGOCD_WEBHOOK_SECRET',
  'GITHUB_TOKEN',
  'GITHUB_APP_PRIVATE_KEY',
  'GITHUB_WEBHOOK_SECRET',
  'REDIS_URL',
] as const;
