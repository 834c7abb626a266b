import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countCatalogMessages } from '../phases/catalog-triggers.js';

const catalog = readFileSync(
  new URL('../contracts/argocd-notifications-catalog.yaml', import.meta.url),
  'utf8',
);

describe('countCatalogMessages', () => {
  it('counts three top-level messages for one approved deploy with the default catalog', () => {
    const count = countCatalogMessages(catalog);
    expect(count.fired.sort()).toEqual(['on-deployed', 'on-sync-running', 'on-sync-succeeded']);
    expect(count).toMatchObject({ messages: 3, topLevel: 3 });
  });

  it('refuses to count when a trigger condition no longer reads as the bench assumes', () => {
    const changed = catalog.replace("phase in ['Running']", "phase in ['Pending']");
    expect(() => countCatalogMessages(changed)).toThrow(/on-sync-running changed/);
  });

  it('refuses a trigger it has no reading for', () => {
    const extra = catalog.replace(
      'kind: ConfigMap',
      '  trigger.on-something-new: |\n    - send: [app-deployed]\n      when: "true"\nkind: ConfigMap',
    );
    expect(() => countCatalogMessages(extra)).toThrow(/on-something-new/);
  });
});
