import { describe, expect, it } from 'vitest';
import type { Application } from '../../../src/clients/argocd/application-schema.js';
import { parsePolicy } from '../../../src/config/policy-schema.js';
import {
  classifyRow,
  compareRows,
  countByEnvironment,
  type StatusRow,
} from '../../../src/domain/status-row.js';
import { buildAppPredicate, toStatusRows } from '../../../src/status/app-rows.js';
import { isAuthoredBy } from '../../../src/status/asker-identity.js';
import { describeSyncWindows } from '../../../src/status/sync-window-notice.js';

const policy = parsePolicy(`
channels: { deploys: C0DEPLOYS }
github: { repo: acme/gitops }
environments:
  prod: { approvers: { users: [U0ALICE] } }
  dev: { approvers: { users: ["*"] }, requiredApprovals: 0 }
apps:
  - { match: "*-prod", environment: prod }
  - { match: "*-dev", environment: dev }
`);

function app(
  name: string,
  extra: Partial<{ sync: string; health: string; project: string; history: string[] }> = {},
): Application {
  return {
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: extra.project ?? 'gamemetrics',
      source: { repoURL: 'https://github.com/acme/gitops.git' },
    },
    status: {
      sync: { status: extra.sync ?? 'Synced', revision: 'f'.repeat(40) },
      health: { status: extra.health ?? 'Healthy' },
      history: (extra.history ?? ['e'.repeat(40)]).map((revision, id) => ({
        id,
        revision,
        deployedAt: '2026-05-01T10:00:00Z',
        initiatedBy: { username: 'admin' },
      })),
      summary: { images: ['repo/app:1'] },
    },
  } as Application;
}

function row(overrides: Partial<StatusRow>): StatusRow {
  const base: StatusRow = {
    app: { instance: 'default', name: 'a', namespace: 'argocd', project: 'p' },
    environment: 'dev',
    autoSync: false,
    syncStatus: 'Synced',
    health: 'Healthy',
    operationRunning: false,
    images: [],
    ...overrides,
  };
  return { ...base, problem: classifyRow(base) };
}

describe('toStatusRows', () => {
  it('keeps only apps a policy rule covers, with their environment and deployed revision', () => {
    const rows = toStatusRows([app('web-prod'), app('web-dev'), app('unmatched')], policy, 'default');
    expect(rows.map((r) => [r.app.name, r.environment])).toEqual([
      ['web-prod', 'prod'],
      ['web-dev', 'dev'],
    ]);
    expect(rows[0]!.deployed).toMatchObject({
      sha: 'e'.repeat(40),
      initiatedBy: 'admin',
      at: Date.parse('2026-05-01T10:00:00Z'),
    });
    expect(rows[0]!.repo).toEqual({ owner: 'acme', name: 'gitops' });
    expect(rows.map((r) => r.app.instance)).toEqual(['default', 'default']);
  });

  it("names each row's app with the instance it was listed from", () => {
    const rows = toStatusRows([app('web-prod')], policy, 'eu');
    expect(rows[0]!.app).toMatchObject({ instance: 'eu', name: 'web-prod' });
  });
});

describe('buildAppPredicate', () => {
  const rows = toStatusRows(
    [app('web-prod'), app('web-dev'), app('kafka-dev', { project: 'data' })],
    policy,
    'default',
  );
  const pick = (filter: Parameters<typeof buildAppPredicate>[0]) => {
    const projects = new Set(rows.map((r) => r.app.project));
    return rows.filter(buildAppPredicate(filter, policy, projects)).map((r) => r.app.name);
  };

  it('a bare word is an environment, else a project, else a glob', () => {
    expect(pick({ term: 'prod' })).toEqual(['web-prod']);
    expect(pick({ term: 'data' })).toEqual(['kafka-dev']);
    expect(pick({ term: 'WEB-*' })).toEqual(['web-prod', 'web-dev']);
    expect(pick({ term: 'web-dev' })).toEqual(['web-dev']);
  });

  it('explicit filters combine', () => {
    expect(pick({ environment: 'dev', glob: 'web-*' })).toEqual(['web-dev']);
    expect(pick({ project: 'gamemetrics', term: 'dev' })).toEqual(['web-dev']);
    expect(pick({})).toHaveLength(3);
  });
});

describe('classifyRow and compareRows', () => {
  it('ranks degraded, failed, expired, waiting, out of sync, in progress, unknown, fine', () => {
    const open = (state: 'pending' | 'expired' | 'failed') => ({
      cardId: 'c',
      revision: 'r',
      state,
      channel: 'C',
      approvals: [],
      requiredApprovals: 1,
      createdAt: 0,
    });
    const rows = [
      row({ app: { instance: 'default', name: 'fine', namespace: 'n', project: 'p' } }),
      row({ app: { instance: 'default', name: 'unknown', namespace: 'n', project: 'p' }, health: 'Unknown' }),
      row({
        app: { instance: 'default', name: 'waiting', namespace: 'n', project: 'p' },
        syncStatus: 'OutOfSync',
        open: open('pending'),
      }),
      row({
        app: { instance: 'default', name: 'expired', namespace: 'n', project: 'p' },
        syncStatus: 'OutOfSync',
        open: open('expired'),
      }),
      row({
        app: { instance: 'default', name: 'drift', namespace: 'n', project: 'p' },
        syncStatus: 'OutOfSync',
      }),
      row({
        app: { instance: 'default', name: 'syncing', namespace: 'n', project: 'p' },
        operationRunning: true,
        health: 'Progressing',
      }),
      row({
        app: { instance: 'default', name: 'failed', namespace: 'n', project: 'p' },
        operation: { phase: 'Failed' },
      }),
      row({
        app: { instance: 'default', name: 'degraded', namespace: 'n', project: 'p' },
        health: 'Degraded',
      }),
    ];
    expect(rows.sort(compareRows).map((r) => r.app.name)).toEqual([
      'degraded',
      'failed',
      'expired',
      'waiting',
      'drift',
      'syncing',
      'unknown',
      'fine',
    ]);
  });

  it('counts per environment, the ones needing attention first', () => {
    const counts = countByEnvironment([
      row({ environment: 'dev' }),
      row({ environment: 'dev' }),
      row({ environment: 'prod', health: 'Degraded' }),
    ]);
    expect(counts).toEqual([
      { environment: 'prod', total: 1, attention: 1, problems: { degraded: 1 } },
      { environment: 'dev', total: 2, attention: 0, problems: {} },
    ]);
  });
});

describe('isAuthoredBy', () => {
  const card = {
    to: { sha: 'x', author: 'Dave Developer <dave@gamemetrics.example>' },
    changelog: {
      available: true,
      commits: [{ sha: 'x', subject: 's', authorLogin: 'Carol' }],
      totalCommits: 1,
      pulls: [],
      authorLogins: ['carol'],
      authorEmails: [],
    },
  };
  it('matches a login, an e-mail, or the target commit author, case-insensitively', () => {
    expect(isAuthoredBy(card, { logins: new Set(['carol']), emails: new Set() })).toBe(true);
    expect(isAuthoredBy(card, { logins: new Set(), emails: new Set(['dave@gamemetrics.example']) })).toBe(
      true,
    );
    expect(isAuthoredBy(card, { logins: new Set(['bob']), emails: new Set(['bob@x']) })).toBe(false);
    expect(isAuthoredBy(card, { logins: new Set(), emails: new Set() })).toBe(false);
  });
});

describe('describeSyncWindows', () => {
  it('closed when a manual sync is refused, open windows described, nothing otherwise', () => {
    expect(
      describeSyncWindows({
        canSync: false,
        activeWindows: [{ kind: 'deny', schedule: '0 22 * * *', duration: '8h' }],
      }),
    ).toEqual({ blocked: true, description: 'manual syncs are blocked now (deny 0 22 * * * for 8h)' });
    expect(
      describeSyncWindows({
        canSync: true,
        activeWindows: [{ kind: 'allow', schedule: '* * * * *', duration: '1h' }],
      }),
    ).toEqual({
      blocked: false,
      description: 'active: allow * * * * * for 1h',
    });
    expect(describeSyncWindows({ canSync: true })).toBeUndefined();
  });
});
