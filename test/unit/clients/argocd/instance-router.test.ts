import { describe, expect, it } from 'vitest';
import type { ArgoCdClient } from '../../../../src/clients/argocd/argocd-client.js';
import { ArgoCdError } from '../../../../src/clients/argocd/argocd-error.js';
import { routeByInstance } from '../../../../src/clients/argocd/instance-router.js';
import { describeError } from '../../../../src/clients/describe-error.js';
import type { AppRef } from '../../../../src/domain/card.js';

/** A client that only records which instance's client was asked (the HTTP side is the client's own test). */
function recordingClient(name: string, calls: string[]): ArgoCdClient {
  const record =
    (method: string) =>
    async (...args: unknown[]) => {
      const target = typeof args[0] === 'object' ? (args[0] as AppRef).name : String(args[0]);
      calls.push(`${name}:${method}:${target}`);
      return undefined as never;
    };
  return {
    getApplication: record('get'),
    listApplications: record('list'),
    revisionMetadata: record('revisionMetadata'),
    managedResources: record('managedResources'),
    syncWindows: record('syncWindows'),
    sync: record('sync'),
    rollback: record('rollback'),
    terminateOperation: record('terminate'),
    resourceTree: record('resourceTree'),
    getRollout: record('getRollout'),
    runResourceAction: record('runResourceAction'),
  };
}

describe('routeByInstance', () => {
  const ref = (instance: string): AppRef => ({
    instance,
    name: 'api',
    namespace: 'argocd',
    project: 'default',
  });

  it("sends each call to the client of the app's instance, and a list to the instance named", async () => {
    const calls: string[] = [];
    const router = routeByInstance(
      new Map([
        ['eu', recordingClient('eu', calls)],
        ['us', recordingClient('us', calls)],
      ]),
    );
    await router.sync(ref('us'), { revision: 'a'.repeat(40) });
    await router.getApplication(ref('eu'));
    await router.listApplications('us');
    expect(calls).toEqual(['us:sync:api', 'eu:get:api', 'us:list:us']);
  });

  it('refuses an instance it has no client for, before anything is sent anywhere', async () => {
    const calls: string[] = [];
    const router = routeByInstance(new Map([['eu', recordingClient('eu', calls)]]));
    const error = await router.sync(ref('ap'), { revision: 'a'.repeat(40) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgoCdError);
    expect(error).toMatchObject({
      code: 'argocd_unknown_instance',
      requestSent: false,
      ambiguous: false,
      retryable: false,
    });
    await expect(router.listApplications('ap')).rejects.toMatchObject({ code: 'argocd_unknown_instance' });
    expect(calls).toEqual([]);
    expect(describeError(error)).toBe(
      'deploybot has no Argo CD instance "ap"; nothing was sent to any Argo CD. An operator must add it to ARGOCD_INSTANCES.',
    );
  });
});
