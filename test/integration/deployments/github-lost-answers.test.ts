import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../../../sandbox/world/seed.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { approveProdCard, findReadyProdCard } from './approve-prod-card.js';

// GitHub did the write, then the answer was lost (a 502 from a proxy): nothing may be made twice.
// Over HTTP only: the press is a plain Approve & Sync (over both transports in the action suites and in
// github-deployments.test.ts); what is tested here is GitHub's side, the same whichever way it came.
let env: WorldWithBot;
beforeAll(async () => {
  env = await startWorldWithBot();
});
afterAll(async () => {
  await env?.stop();
});

const deploymentsOf = (app: string) =>
  env.world.github.deployments(REPO).filter((d) => d.environment === `prod/${app}`);

/** Pushes a change and waits until the auto-synced kafka-prod has recorded its own deployment for it. */
async function pushAndSettle(message: string): Promise<string> {
  const sha = await env.world.pushCommit({ author: 'dave', message });
  await findReadyProdCard(env, sha);
  await eventually(
    () =>
      deploymentsOf('kafka-prod').find((d) => d.sha === sha && d.statuses.some((s) => s.state === 'success')),
    { timeoutMs: 30_000 },
  );
  await env.bot.bot.features.deployments.idle();
  return sha;
}

async function deployedRecord(sha: string) {
  return eventually(
    () =>
      deploymentsOf('event-ingestion-prod').find(
        (d) => d.sha === sha && d.statuses.some((s) => s.state === 'success'),
      ),
    { timeoutMs: 30_000 },
  );
}

describe('GitHub Deployments when GitHub’s answer to a write is lost', () => {
  it('creating the deployment: exactly one deployment for the sync', async () => {
    const sha = await pushAndSettle('Deployment answer lost');
    env.world.github.failNext({
      method: 'POST',
      pathPrefix: `/repos/${REPO}/deployments`,
      status: 502,
      afterHandling: true,
    });
    await approveProdCard(env, sha);
    const recorded = await deployedRecord(sha);
    await env.bot.bot.features.deployments.idle();
    await new Promise((r) => setTimeout(r, 1500));
    expect(deploymentsOf('event-ingestion-prod').filter((d) => d.sha === sha)).toHaveLength(1);
    expect(recorded.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    const card = await env.bot.bot.features.cards.repo.findByRevision(
      { instance: 'default', namespace: 'argocd', name: 'event-ingestion-prod' },
      sha,
    );
    expect(card?.githubDeploymentId).toBe(recorded.id);
  }, 60_000);

  it('posting a deployment status: each status once', async () => {
    const sha = await pushAndSettle('Status answer lost');
    // Only the statuses (the path goes on after the deployment id): the first one, in_progress, is lost.
    env.world.github.failNext({
      method: 'POST',
      pathPrefix: `/repos/${REPO}/deployments/`,
      status: 502,
      afterHandling: true,
    });
    await approveProdCard(env, sha);
    await deployedRecord(sha);
    await env.bot.bot.features.deployments.idle();
    await new Promise((r) => setTimeout(r, 1500));
    const [deployment, ...others] = deploymentsOf('event-ingestion-prod').filter((d) => d.sha === sha);
    expect(others).toEqual([]);
    expect(deployment!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
  }, 60_000);
});
