import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkAgainstDefinition,
  type FakeArgoCd,
  startFakeArgoCd,
  swaggerDefinitions,
} from '../../../sandbox/fake-argocd/index.js';
import { readRollouts, rolloutRef } from '../../../src/cards/read-rollouts.js';
import { createArgoCdClient } from '../../../src/clients/argocd/argocd-client.js';
import { ArgoCdError } from '../../../src/clients/argocd/argocd-error.js';
import { describeError } from '../../../src/clients/describe-error.js';

const APP = { instance: 'default', name: 'event-consumer-prod', namespace: 'argocd', project: 'gamemetrics' };
const OLD = '1111111111111111111111111111111111111111';
const NEW = '2222222222222222222222222222222222222222';

let fake: FakeArgoCd;
let denyActions = false;
beforeAll(async () => {
  fake = await startFakeArgoCd({
    timing: { syncMs: 20, healthMs: 20 },
    canI: (_resource, action) => !(denyActions && action.startsWith('action/')),
    apps: [
      {
        name: APP.name,
        project: APP.project,
        revision: OLD,
        destination: { namespace: 'events' },
        rollouts: [{ name: 'event-consumer', stepMs: 20 }],
      },
    ],
  });
});
afterAll(() => fake.close());

describe("deploybot's Argo CD client for Rollouts, against the swagger", () => {
  const argocd = () => createArgoCdClient({ baseUrl: fake.url, token: fake.token, readRetries: 0 });

  it('reads the tree and the live Rollout and runs an action with requests the swagger describes', async () => {
    fake.pushRevision(APP.name, NEW);
    await argocd().sync(APP, { revision: NEW });
    let views = (await readRollouts(argocd(), APP)).views;
    for (let i = 0; i < 200 && views[0]?.phase !== 'Paused'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      views = (await readRollouts(argocd(), APP)).views;
    }
    expect(views[0]).toMatchObject({
      name: 'event-consumer',
      step: 1,
      steps: 5,
      pauseReason: 'CanaryPauseStep',
    });
    await argocd().runResourceAction(
      APP,
      rolloutRef(views[0] as { name: string; namespace: string }),
      'resume',
    );

    const action = fake.actionRequests()[0];
    expect(action?.headers.contentType).toBe('application/json');
    expect(
      checkAgainstDefinition(action?.body, 'applicationResourceActionRunRequestV2', swaggerDefinitions),
    ).toEqual({
      unknownFields: [],
      typeErrors: [],
    });
    // Every request hit an operation of the swagger, with only its parameters and body fields.
    expect(fake.requests.length).toBeGreaterThan(3);
    expect(fake.requests.filter((r) => r.unknownRoute || r.contractViolation || r.status !== 200)).toEqual(
      [],
    );
  });

  it('tells an RBAC refusal as a missing permission of the account, never as a sync window', async () => {
    denyActions = true;
    try {
      const error = await argocd()
        .runResourceAction(APP, rolloutRef({ name: 'event-consumer', namespace: 'events' }), 'abort')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgoCdError);
      expect((error as ArgoCdError).httpStatus).toBe(403);
      expect(describeError(error, { blockingWindow: null })).toContain(
        "lacks the permission; an operator must grant it in Argo CD's RBAC",
      );
    } finally {
      denyActions = false;
    }
  });

  it('refuses to read something that is not a Rollout as one', async () => {
    const error = await argocd()
      .getRollout(APP, {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        namespace: 'events',
        name: 'nope',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgoCdError);
    expect((error as ArgoCdError).message).toBe(
      'Rollout argoproj.io nope not found as part of application event-consumer-prod',
    );
  });
});
