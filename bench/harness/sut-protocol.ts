/** What the bench parent and a system-under-test child say to each other over the IPC channel. */

interface DeploybotSutConfig {
  mode: 'deploybot';
  /** The bot's whole environment (never the parent's process.env). */
  env: Record<string, string>;
  policyYaml: string;
  port: number;
}

/** Baseline for clicks: a bare Bolt App on HTTPReceiver whose approve handler only acks. */
export interface BareBoltSutConfig {
  mode: 'bare-bolt';
  signingSecret: string;
  botToken: string;
  /** Bolt looks up its own bot id (auth.test) on the first event: point it at the fake Slack, as the bot is. */
  slackApiUrl: string;
  approveActionId: string;
  /** Floor for click → sync: clicks whose value starts with `floor:` also POST a sync here after the ack. */
  argocdUrl: string;
  argocdToken: string;
}

/** Baseline for ingest: node:http that checks the Bearer token or the HMAC and answers 202. */
export interface BareHttpSutConfig {
  mode: 'bare-http';
  argocdSecret: string;
  githubSecret: string;
  /** Floor for notification → card: POST /floor/argocd/events posts a plain message here after the 202. */
  slackApiUrl: string;
  slackToken: string;
  slackChannel: string;
}

export type SutConfig = DeploybotSutConfig | BareBoltSutConfig | BareHttpSutConfig;

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** process.cpuUsage() user + system, in microseconds since the child started. */
  cpuMicros: number;
  /** Linux /proc/self/status, bytes: anonymous and file-backed resident memory, and the peak RSS. */
  rssAnon?: number;
  rssFile?: number;
  peakRss?: number;
}

/** Log lines at warn or above, counted by level and message, so a phase can show what went wrong. */
export type LogCounts = Record<string, number>;

/** How the child's own graceful stop went (the child exits either way). */
export interface StopReport {
  graceful: boolean;
  ms: number;
}

export type ParentMessage =
  | { id: number; kind: 'memory'; gc: boolean }
  | { id: number; kind: 'logs' }
  | { id: number; kind: 'stop' };

export type ChildMessage =
  | { kind: 'ready'; port: number }
  | { kind: 'failed'; message: string }
  | { kind: 'reply'; id: number; value: MemorySample | LogCounts | StopReport };

export const SUT_CONFIG_ENV = 'BENCH_SUT_CONFIG';

/** How long the child lets its system stop gracefully before it exits anyway. */
export const STOP_DEADLINE_MS = 7000;
