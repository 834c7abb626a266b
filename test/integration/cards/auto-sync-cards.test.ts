import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../sandbox/world/seed.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { buttonsOf, cardPosts, sleep } from './card-helpers.js';

let env: WorldWithBot;
beforeAll(async () => {
  // A reconcile pass every 300 ms as well: passes must never make a pending card for an auto-sync app.
  env = await startWorldWithBot({}, { reconcileIntervalMs: 300 });
});
afterAll(async () => {
  await env?.stop();
});

const cardOf = (channel: string, app: string, sha: string) =>
  env.world.slack.channelMessages(channel).find((m) => m.text.startsWith(`${app} ${sha.slice(0, 7)}`));

/** Every text any card of the app ever had: a pending card must not appear even for a moment. */
const everShown = (app: string) =>
  [...env.world.slack.callsTo('chat.postMessage'), ...env.world.slack.callsTo('chat.update')]
    .filter((c) => !c.args.thread_ts && String(c.args.text).startsWith(`${app} `))
    .map((c) => ({ text: String(c.args.text), blocks: JSON.stringify(c.args.blocks ?? []) }));

describe('auto-sync apps get one informational card per deploy', () => {
  it('a push to develop: one card per dev app in #deploys, deployed, no approval buttons', async () => {
    const sha = await env.world.pushCommit({ branch: 'develop', message: 'Develop: tune consumer' });
    for (const app of ['event-ingestion-dev', 'kafka-dev']) {
      const card = await eventually(() => {
        const m = cardOf(CHANNELS.deploys.id, app, sha);
        return m?.text.includes('was deployed by auto-sync') ? m : undefined;
      });
      expect(card.text).toBe(`${app} ${sha.slice(0, 7)} → dev was deployed by auto-sync`);
      expect(buttonsOf(card)).not.toContain('deploy_approve_sync');
      expect(buttonsOf(card)).not.toContain('deploy_reject');
      // Argo CD refuses rollback of auto-sync apps: the card offers a revert in Git.
      expect(buttonsOf(card)).toContain('deploy_revert_git');
      await eventually(() =>
        env.world.slack
          .thread(CHANNELS.deploys.id, card.ts)
          .some((m) => /deployed/.test(m.text) && m.ts !== card.ts),
      );
    }
    await sleep(1000); // several reconcile passes
    for (const app of ['event-ingestion-dev', 'kafka-dev']) {
      expect(cardPosts(env.world.slack, { channel: CHANNELS.deploys.id, app, sha })).toHaveLength(1);
      for (const shown of everShown(app)) {
        expect(shown.text).not.toContain('waiting for approval');
        expect(shown.blocks).not.toContain('deploy_approve_sync');
      }
    }
    // Nothing about dev apps in the prod channel.
    expect(cardPosts(env.world.slack, { channel: CHANNELS.prodDeploys.id, sha })).toEqual([]);
  });

  it('kafka-prod (auto-sync in prod): one informational card next to the pending card of the manual app', async () => {
    const sha = await env.world.pushCommit({ message: 'Prod: kafka and ingestion' });
    const kafka = await eventually(() => {
      const m = cardOf(CHANNELS.prodDeploys.id, 'kafka-prod', sha);
      return m?.text.includes('was deployed by auto-sync') ? m : undefined;
    });
    expect(buttonsOf(kafka)).not.toContain('deploy_approve_sync');
    const ingestion = await eventually(() => cardOf(CHANNELS.prodDeploys.id, 'event-ingestion-prod', sha));
    expect(buttonsOf(ingestion)).toContain('deploy_approve_sync');
    await sleep(1000);
    expect(
      cardPosts(env.world.slack, { channel: CHANNELS.prodDeploys.id, app: 'kafka-prod', sha }),
    ).toHaveLength(1);
    for (const shown of everShown('kafka-prod')) expect(shown.text).not.toContain('waiting for approval');
  });

  it('degraded health turns the informational card degraded, and healthy again turns it back', async () => {
    const sha = env.world.headOf('main');
    env.world.argocd.degrade('kafka-prod', 'Kafka broker pods are crash-looping');
    const degraded = await eventually(() => {
      const m = cardOf(CHANNELS.prodDeploys.id, 'kafka-prod', sha);
      return m?.text.includes('is degraded') ? m : undefined;
    });
    expect(degraded.text).toContain('(health Degraded)');
    await eventually(() =>
      env.world.slack
        .thread(CHANNELS.prodDeploys.id, degraded.ts)
        .some((m) => m.text.includes('crash-looping')),
    );
    env.world.argocd.setHealth('kafka-prod', 'Healthy');
    // No notification fires for recovery; the reconciler's next pass brings the card back.
    await eventually(() =>
      cardOf(CHANNELS.prodDeploys.id, 'kafka-prod', sha)?.text.includes('deployed by auto-sync'),
    );
    expect(
      cardPosts(env.world.slack, { channel: CHANNELS.prodDeploys.id, app: 'kafka-prod', sha }),
    ).toHaveLength(1);
  });
});
