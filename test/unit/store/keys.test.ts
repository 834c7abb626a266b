import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTANCE } from '../../../src/domain/card.js';
import { appId, storeKeys } from '../../../src/store/keys.js';

const app = (instance: string, namespace = 'argocd', name = 'payments-api-prod') => ({
  instance,
  namespace,
  name,
});

describe('appId', () => {
  it('keeps the pre-instance form <namespace>/<name> for the default instance (stored keys stay reachable)', () => {
    expect(appId(app(DEFAULT_INSTANCE))).toBe('argocd/payments-api-prod');
    expect(storeKeys.appLock(app(DEFAULT_INSTANCE))).toBe('app:argocd/payments-api-prod');
    expect(storeKeys.cardIndex(app(DEFAULT_INSTANCE), 'abc')).toBe('card-index:argocd/payments-api-prod:abc');
    expect(storeKeys.appCurrent(app(DEFAULT_INSTANCE))).toBe('app-current:argocd/payments-api-prod');
  });

  it('names any other instance in front: <instance>/<namespace>/<name>', () => {
    expect(appId(app('eu'))).toBe('eu/argocd/payments-api-prod');
  });

  it('never gives two instances with the same namespace and name one key', () => {
    const instances = [DEFAULT_INSTANCE, 'eu', 'us', 'argocd', 'Default'];
    const ids = instances.map((i) => appId(app(i)));
    expect(new Set(ids).size).toBe(instances.length);
    const keysOf = (a: ReturnType<typeof app>) => [
      storeKeys.appLock(a),
      storeKeys.appCurrent(a),
      storeKeys.cardIndex(a, 'r'),
      storeKeys.githubDeploymentLast(a),
      storeKeys.argocdNotification(a, { event: 'e', revision: 'r', startedAt: '', phase: '', health: '' }),
    ];
    const all = instances.flatMap((i) => keysOf(app(i)));
    expect(new Set(all).size).toBe(all.length);
  });
});
