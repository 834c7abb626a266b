import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, POLICY_YAML } from '../../../sandbox/world/seed.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { cardPosts } from './card-helpers.js';

const APP = 'event-ingestion-prod';
const PUSHES = 20;

let env: WorldWithBot;
beforeAll(async () => {
  // Without GitHub Deployments: recording 20 kafka-prod deploys there makes the bot's shutdown slow (~1.5 s each),
  // and they are no part of the time measured here.
  const policy = POLICY_YAML.replace('githubDeployments: true', 'githubDeployments: false');
  env = await startWorldWithBot({}, { policy });
});
afterAll(async () => {
  await env?.stop();
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

describe('notification → card time in the sandbox world', () => {
  it(`measures ${PUSHES} pushes: from the 202 to Argo CD to the card in Slack`, async () => {
    const samples: number[] = [];
    for (let i = 0; i < PUSHES; i++) {
      const sha = await env.world.pushCommit({ message: `Latency sample ${i}` });
      const posted = await eventually(
        () => cardPosts(env.world.slack, { channel: CHANNELS.prodDeploys.id, app: APP, sha, ok: true })[0],
        { timeoutMs: 10_000 },
      );
      const accepted = env.world.argocd.sentNotifications.find(
        (n) => n.app === APP && n.event === 'on-out-of-sync' && n.body.revision === sha && n.status === 202,
      );
      expect(accepted).toBeDefined();
      samples.push(posted.at - Date.parse(accepted!.at));
    }
    const sorted = [...samples].sort((a, b) => a - b);
    console.info(
      `notification → card over ${PUSHES} pushes: p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms, ` +
        `min ${sorted[0]} ms, max ${sorted.at(-1)} ms`,
    );
    expect(samples).toHaveLength(PUSHES);
    expect(samples.every((s) => Number.isFinite(s) && s >= 0)).toBe(true);
    // Each push superseded the one before: exactly one card is still waiting.
    await eventually(
      () =>
        env.world.slack
          .channelMessages(CHANNELS.prodDeploys.id)
          .filter((m) => m.text.startsWith(APP) && m.text.includes('waiting for approval')).length === 1,
    );
  });
});
