import { performance } from 'node:perf_hooks';
import type { ChangeEvent } from '../../sandbox/fake-slack/index.js';
import { CHANNELS, PEOPLE } from '../../sandbox/world/seed.js';
import { addSyncedApps, appNames } from '../harness/apps.js';
import { pollUntil } from '../harness/wait.js';
import { atMost, makeRow, type ResultRow } from '../report/result.js';
import type { Phase, PhaseContext } from './phase.js';

const ANSWER_TIMEOUT_MS = 5000;

interface Attempt {
  ms?: number;
  /** Why there is no time: the ack status and what (if anything) came back. */
  problem?: string;
}

/**
 * Runs /deploy-status once as Alice and times the answer: the response_url message when there is one
 * (an ack that only says "working on it" is not the answer), else a message carried by the ack itself.
 */
async function runOnce(ctx: PhaseContext): Promise<Attempt> {
  const slack = ctx.main.world.slack;
  const seen: { ts: string; at: number }[] = [];
  const unsubscribe = slack.onChange((event: ChangeEvent) => {
    if (event.type === 'ephemeral_posted' && event.user === PEOPLE.alice.id)
      seen.push({ ts: event.ts, at: performance.now() });
  });
  const sentAt = performance.now();
  try {
    const ack = await slack.slashCommand({
      user: PEOPLE.alice.id,
      channel: CHANNELS.deploys.id,
      command: '/deploy-status',
      text: '',
    });
    if (ack.status !== 200) return { problem: `the command was not acknowledged (HTTP ${ack.status})` };
    if (ack.problems?.length) return { problem: `Slack would refuse the ack: ${ack.problems.join('; ')}` };
    const sourceOf = (ts: string) =>
      slack.ephemerals({ user: PEOPLE.alice.id }).find((e) => e.ts === ts)?.source;
    const viaResponseUrl = () => seen.find((s) => sourceOf(s.ts) === 'response_url');
    const ackedWithMessage = ack.body !== '' && ack.body !== undefined;
    const found = await pollUntil(viaResponseUrl, {
      timeoutMs: ackedWithMessage ? 1000 : ANSWER_TIMEOUT_MS,
      intervalMs: 10,
    });
    if (found) return { ms: found.at - sentAt };
    const inAck = seen.find((s) => sourceOf(s.ts) === 'command_ack');
    if (inAck) return { ms: inAck.at - sentAt };
    return { problem: `acked, but no answer within ${ANSWER_TIMEOUT_MS / 1000} s` };
  } finally {
    unsubscribe();
  }
}

/** Metric 7: /deploy-status over 2,000 apps, time to the first answer the asker sees. */
async function run(ctx: PhaseContext): Promise<ResultRow[]> {
  const { main, sizes } = ctx;
  const existing = main.world.argocd.apps().length;
  const extra = Math.max(0, sizes.statusApps - existing);
  addSyncedApps(main.world, appNames('status', extra, '-dev'), main.baseSha);
  const total = main.world.argocd.apps().length;
  await main.activity.waitForQuiet({ quietMs: 500, maxMs: 30_000 });
  ctx.progress(`/deploy-status: ${total} apps, ${sizes.statusRuns} run(s)`);
  const attempts: Attempt[] = [];
  for (let i = 0; i < sizes.statusRuns; i++) {
    const attempt = await runOnce(ctx);
    attempts.push(attempt);
    if (attempt.problem) break;
    await main.activity.waitForQuiet({ quietMs: 300, maxMs: 10_000 });
  }
  const failed = attempts.find((a) => a.problem);
  const times = attempts.map((a) => a.ms).filter((ms): ms is number => ms !== undefined);
  return [
    makeRow({
      name: '/deploy-status over 2,000 apps',
      unit: 'ms',
      ours: failed ? null : Math.max(...times),
      target: atMost(1000, 'ms'),
      note: failed
        ? `not available: ${failed.problem} (${total} apps in Argo CD)`
        : `${total} apps in Argo CD; slowest of ${times.length} run(s) to the first answer the asker sees`,
    }),
  ];
}

export const deployStatusPhase: Phase = { name: 'deploy-status', timeoutMs: 60_000, run };
