import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE, REPO } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { approveProdCard, findReadyProdCard } from './approve-prod-card.js';

describe.each(SLACK_TRANSPORTS)('GitHub Deployments over %s', (slackTransport) => {
  let env: WorldWithBot;

  const prodMessages = () => env.world.slack.channelMessages(CHANNELS.prodDeploys.id);
  const deploymentsOf = (app: string) =>
    env.world.github.deployments(REPO).filter((d) => d.environment === `prod/${app}`);

  async function deployToProd(
    message: string,
    options: { fail?: boolean } = {},
  ): Promise<{ sha: string; ts: string }> {
    if (options.fail) env.world.argocd.failNextSync('event-ingestion-prod', 'quota exceeded');
    const sha = await env.world.pushCommit({ author: 'dave', message });
    const ts = await approveProdCard(env, sha);
    const final = options.fail ? 'failure' : 'success';
    await eventually(
      () =>
        deploymentsOf('event-ingestion-prod').find(
          (d) => d.sha === sha && d.statuses.some((s) => s.state === final),
        ),
      { timeoutMs: 15_000 },
    );
    return { sha, ts };
  }

  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('GitHub Deployments for prod syncs', () => {
    let first: { sha: string; ts: string };

    it('an approved sync creates one deployment for the exact SHA, then in_progress → success with the card as log', async () => {
      first = await deployToProd('Batch inserts into ClickHouse');
      const [deployment, ...others] = deploymentsOf('event-ingestion-prod');
      expect(others).toEqual([]);
      expect(deployment).toMatchObject({
        sha: first.sha,
        ref: first.sha,
        environment: 'prod/event-ingestion-prod',
        productionEnvironment: true,
        transientEnvironment: false,
        payload: { app: 'event-ingestion-prod', environment: 'prod', project: 'gamemetrics' },
      });
      expect(deployment!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
      const permalink = `${env.world.slack.url}/archives/${CHANNELS.prodDeploys.id}/p${first.ts.replace('.', '')}`;
      expect(deployment!.statuses[1]!.logUrl).toBe(permalink);
      expect(deployment!.statuses[1]!.environmentUrl).toContain('/applications/argocd/event-ingestion-prod');
      // The request itself: never auto-merge, never wait for contexts (the card already checked CI).
      const create = env.world.github.requests.find(
        (r) => r.method === 'POST' && r.path === `/repos/${REPO}/deployments`,
      );
      expect(create?.body).toMatchObject({
        ref: first.sha,
        auto_merge: false,
        required_contexts: [],
        production_environment: true,
      });
      const card = (await env.bot.bot.features.cards.repo.findByRevision(
        { instance: 'default', namespace: 'argocd', name: 'event-ingestion-prod' },
        first.sha,
      ))!;
      expect(card.githubDeploymentId).toBe(deployment!.id);
    });

    // The rest is the GitHub mirror, the same whichever way the press came: it runs once, over HTTP
    // (a press over the socket is the test above; doubling 25 s of GitHub flows would show nothing new).
    if (slackTransport === 'http') {
      it('auto-synced prod apps are recorded too; dev apps are not (githubDeployments off)', async () => {
        const kafka = await eventually(() =>
          deploymentsOf('kafka-prod').find(
            (d) => d.sha === first.sha && d.statuses.some((s) => s.state === 'success'),
          ),
        );
        expect(kafka.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
        await env.world.pushCommit({ author: 'carol', branch: 'develop', message: 'Dev tweak' });
        await eventually(() =>
          env.world.slack
            .channelMessages(CHANNELS.deploys.id)
            .find(
              (m) =>
                m.text.includes(env.world.headOf('develop').slice(0, 7)) &&
                /deployed|succeeded/i.test(m.text),
            ),
        );
        expect(env.world.github.deployments(REPO).filter((d) => d.environment.startsWith('dev/'))).toEqual(
          [],
        );
      });

      it('the next deploy marks the one it replaced inactive', async () => {
        const second = await deployToProd('Faster consumer');
        const deployments = deploymentsOf('event-ingestion-prod');
        expect(deployments.map((d) => d.sha)).toEqual([first.sha, second.sha]);
        await eventually(
          () => deploymentsOf('event-ingestion-prod')[0]!.statuses.at(-1)?.state === 'inactive',
        );
        expect(deploymentsOf('event-ingestion-prod')[1]!.statuses.map((s) => s.state)).toEqual([
          'in_progress',
          'success',
        ]);
      });

      it('a failed sync ends in failure', async () => {
        const failed = await deployToProd('Broken manifest', { fail: true });
        const deployment = deploymentsOf('event-ingestion-prod').find((d) => d.sha === failed.sha)!;
        expect(deployment.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
        expect(deployment.statuses[1]!.description).toContain('quota exceeded');
      });

      it('a GitHub failure at sync start never blocks the deploy; the record is made when GitHub answers again', async () => {
        const sha = await env.world.pushCommit({ author: 'dave', message: 'While GitHub hiccups' });
        const card = await findReadyProdCard(env, sha);
        // kafka-prod (auto-sync) records its own deployment first; then every attempt of the next create fails.
        await eventually(
          () =>
            deploymentsOf('kafka-prod').find(
              (d) => d.sha === sha && d.statuses.some((s) => s.state === 'success'),
            ),
          { timeoutMs: 30_000 },
        );
        await env.bot.bot.features.deployments.idle();
        env.world.github.failNext({
          method: 'POST',
          pathPrefix: `/repos/${REPO}/deployments`,
          status: 500,
          times: 3,
        });
        await env.world.slack.clickButton({
          user: PEOPLE.alice.id,
          channel: CHANNELS.prodDeploys.id,
          ts: card.ts,
          actionId: 'deploy_approve_sync',
        });
        await eventually(
          () => /was deployed/.test(prodMessages().find((m) => m.ts === card.ts)?.text ?? ''),
          {
            timeoutMs: 30_000,
          },
        );
        await eventually(
          () => env.bot.logs.some((l) => l.includes('could not create the GitHub deployment')),
          {
            timeoutMs: 30_000,
          },
        );
        const recorded = await eventually(
          () =>
            deploymentsOf('event-ingestion-prod').find(
              (d) => d.sha === sha && d.statuses.some((s) => s.state === 'success'),
            ),
          { timeoutMs: 30_000 },
        );
        expect(recorded.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
        expect(deploymentsOf('event-ingestion-prod').filter((d) => d.sha === sha)).toHaveLength(1);
      }, 60_000);
    }
  });
});
