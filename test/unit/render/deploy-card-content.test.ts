import { describe, expect, it } from 'vitest';
import type { CardState } from '../../../src/domain/card.js';
import { renderDeployCard } from '../../../src/render/deploy-card.js';
import { ALL_STATES, FROM_SHA, makeCard, makeCardIn, makeContext, NEWER_SHA, NOW } from './card-fixture.js';
import { allText, blockById, sectionText } from './message-helpers.js';

const FALLBACK: Record<CardState, string> = {
  pending: 'event-ingestion-prod a1b2c3d → prod is waiting for approval',
  approved: 'event-ingestion-prod a1b2c3d → prod has 1 of 2 approvals',
  syncing: 'event-ingestion-prod a1b2c3d → prod is syncing',
  succeeded: 'event-ingestion-prod a1b2c3d → prod was deployed',
  failed: 'event-ingestion-prod a1b2c3d → prod failed to sync: one or more objects failed to apply',
  degraded: 'event-ingestion-prod a1b2c3d → prod is degraded (health Degraded)',
  rejected: 'event-ingestion-prod a1b2c3d → prod was rejected by <@U0BOB>: Kafka is being upgraded',
  superseded: 'event-ingestion-prod a1b2c3d → prod was superseded by bbbbbbb',
  expired: 'event-ingestion-prod a1b2c3d → prod expired without approval',
  'rolling-back': 'event-ingestion-prod a1b2c3d → prod is being rolled back by <@U0ALICE>',
  'rolled-back': 'event-ingestion-prod a1b2c3d → prod was rolled back by <@U0ALICE>',
};

const STATUS: Record<CardState, string> = {
  pending: '*Waiting for approval*',
  approved: '*Approved* 1 of 2: <@U0ALICE> · waiting for 1 more approval',
  syncing: '*Syncing*',
  succeeded: '*Deployed*',
  failed: '*Sync failed*',
  degraded: '*Deployed but degraded*',
  rejected: '*Rejected* by <@U0BOB>',
  superseded: '*Superseded* by `bbbbbbb`',
  expired: '*Expired* after 24h without enough approvals',
  'rolling-back': '*Rolling back* to <https://github.com/sheeffii/RealtimeGaming/commit/',
  'rolled-back': '*Rolled back* by <@U0ALICE> to ',
};

const ctx = makeContext({ supersededByRevision: NEWER_SHA });

describe('deploy card content per state', () => {
  it.each(ALL_STATES)('%s: the fallback text summarises the state', (state) => {
    const message = renderDeployCard(makeCardIn(state), ctx);
    expect(message.text.startsWith(FALLBACK[state])).toBe(true);
  });

  it.each(ALL_STATES)('%s: the status section says what happened', (state) => {
    expect(sectionText(renderDeployCard(makeCardIn(state), ctx), 'card_status')).toContain(STATUS[state]);
  });

  it('info cards say auto-sync in the header and the fallback text', () => {
    const message = renderDeployCard(makeCardIn('succeeded', 'info'), ctx);
    expect(message.text).toBe('event-ingestion-prod a1b2c3d → prod was deployed by auto-sync');
    expect(allText(message)).toContain('(auto-sync)');
    expect(sectionText(message, 'card_status')).toContain('by auto-sync');
    expect(sectionText(message, 'card_facts')).not.toContain('*Approvals*');
  });
});

describe('a pending card', () => {
  const message = renderDeployCard(makeCardIn('pending'), makeContext());
  const text = allText(message);

  it('heads with the state emoji, app and environment', () => {
    const header = blockById(message, 'card_header');
    expect(header?.type === 'header' && header.text.text).toBe('🟡 event-ingestion-prod → prod');
  });

  it('shows app (linked to Argo CD), environment, project, destination and checks', () => {
    const facts = sectionText(message, 'card_facts');
    expect(facts).toContain(
      '<https://argocd.example.com/applications/argocd/event-ingestion-prod|event-ingestion-prod>',
    );
    expect(facts).toContain('*Environment*\nprod');
    expect(facts).toContain('*Project*\ngamemetrics');
    expect(facts).toContain('`https://kubernetes.default.svc` / `gamemetrics`');
    expect(facts).toContain('✅ 12 passed');
  });

  it('shows who may approve and the approvals so far', () => {
    expect(sectionText(message, 'card_facts')).toContain(
      '*Approvals*\n0 of 1\nmay approve: <@U0ALICE> or <!subteam^S0ONCALL>',
    );
    const approved = renderDeployCard(makeCardIn('approved'), makeContext());
    expect(sectionText(approved, 'card_facts')).toContain('1 of 2: <@U0ALICE>');
  });

  it('shows from → to revisions with commit links, subjects, authors and a compare link', () => {
    const revision = sectionText(message, 'card_revision');
    expect(revision).toContain(
      '*To* <https://github.com/sheeffii/RealtimeGaming/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678|a1b2c3d> Bump event-ingestion to v1.4.2 — alice',
    );
    expect(revision).toContain(
      `*From* <https://github.com/sheeffii/RealtimeGaming/commit/${FROM_SHA}|0f9e8d7>`,
    );
    expect(revision).toContain(
      `compare/${FROM_SHA}...a1b2c3d4e5f60718293a4b5c6d7e8f9012345678|Compare on GitHub>`,
    );
  });

  it('shows image changes, the changelog and pull requests', () => {
    expect(sectionText(message, 'card_images')).toContain(
      '`ghcr.io/sheeffii/event-ingestion`: `v1.4.1` → `v1.4.2`',
    );
    expect(sectionText(message, 'card_changelog')).toContain('*Changelog* (2 commits)');
    expect(sectionText(message, 'card_changelog')).toContain('Change number 1 — alice');
    expect(sectionText(message, 'card_pulls')).toContain(
      '<https://github.com/sheeffii/RealtimeGaming/pull/42|#42> Add Kafka retries',
    );
  });

  it('shows when it expires', () => {
    expect(text).toContain('⌛ Expires <!date^1772528400^');
    expect(text).toContain('(in 23h)');
  });

  it('renders plain short shas without links when GitHub is unknown', () => {
    const plain = renderDeployCard(makeCardIn('pending'), makeContext({ githubWebUrl: undefined }));
    expect(sectionText(plain, 'card_revision')).toContain('*To* `a1b2c3d` Bump');
    expect(allText(plain)).not.toContain('github.com/sheeffii/RealtimeGaming/commit');
  });
});

describe('card details', () => {
  it.each([
    [{ state: 'success', total: 3, failing: [], pendingNames: [] }, '✅ 3 passed'],
    [{ state: 'failure', total: 3, failing: ['build', 'lint'], pendingNames: [] }, '❌ failing: build, lint'],
    [{ state: 'pending', total: 3, failing: [], pendingNames: ['e2e'] }, '⏳ pending: e2e'],
    [{ state: 'unknown', total: 0, failing: [], pendingNames: [] }, '❔ unknown'],
  ] as const)('checks %o render as %s', (checks, expected) => {
    const card = makeCard({
      checks: { ...checks, failing: [...checks.failing], pendingNames: [...checks.pendingNames] },
    });
    expect(sectionText(renderDeployCard(card, makeContext()), 'card_facts')).toContain(expected);
  });

  it('caps failing check names with "and N more"', () => {
    const failing = Array.from({ length: 40 }, (_, i) => `check-${i}`);
    const card = makeCard({ checks: { state: 'failure', total: 40, failing, pendingNames: [] } });
    const facts = sectionText(renderDeployCard(card, makeContext()), 'card_facts');
    expect(facts).toContain('check-4 and 35 more');
    expect(facts).not.toContain('check-5,');
  });

  it('says "changelog unavailable" when GitHub could not be read', () => {
    const card = makeCard({ changelog: { ...makeCard().changelog, available: false } });
    expect(allText(renderDeployCard(card, makeContext()))).toContain('changelog unavailable');
  });

  it('shows a freeze where Approve or Retry is offered, and a closed sync window', () => {
    const frozen = makeContext({ frozen: { reason: 'Holiday freeze', endsAt: NOW + 86_400_000 } });
    const card = makeCard({ syncWindow: { blocked: true, description: 'deny 0 22 * * * for 8h' } });
    const text = allText(renderDeployCard(card, frozen));
    expect(text).toContain('🧊 *Deploy freeze:* Holiday freeze — approvals are refused until <!date^');
    expect(text).toContain('🚧 *Sync window closed:* deny 0 22 * * * for 8h');
    for (const state of ['expired', 'syncing', 'succeeded'] as const) {
      expect(allText(renderDeployCard({ ...card, state }, frozen))).not.toContain('Deploy freeze');
    }
    expect(allText(renderDeployCard({ ...card, state: 'failed' }, frozen))).toContain('Deploy freeze');
  });

  it('shows card.notice as a visible warning context block and in the fallback text', () => {
    const card = makeCard({ notice: 'Argo CD refused: another operation is already in progress' });
    const message = renderDeployCard(card, makeContext());
    const notice = blockById(message, 'card_notice');
    expect(notice?.type).toBe('context');
    expect(notice?.type === 'context' && notice.elements[0]?.text).toBe(
      '⚠️ Argo CD refused: another operation is already in progress',
    );
    expect(message.text).toContain('another operation is already in progress');
  });

  it('links a superseded card to the newer card', () => {
    const message = renderDeployCard(
      makeCardIn('superseded'),
      makeContext({
        supersededByRevision: NEWER_SHA,
        supersededPermalink: 'https://acme.slack.com/archives/C0/p17',
      }),
    );
    expect(sectionText(message, 'card_status')).toContain(
      '*Superseded* by `bbbbbbb` — <https://acme.slack.com/archives/C0/p17|see the newer card>',
    );
  });

  it("shows Argo CD's message on a failed card and the progress message on a syncing one", () => {
    expect(sectionText(renderDeployCard(makeCardIn('failed'), makeContext()), 'card_status')).toContain(
      '> one or more objects failed to apply: Deployment.apps "x" is invalid',
    );
    const syncing = sectionText(renderDeployCard(makeCardIn('syncing'), makeContext()), 'card_status');
    expect(syncing).toContain('started by <@U0ALICE> · running for 1m');
    expect(syncing).toContain('> waiting for healthy state');
  });

  it('shows health, duration and approver on a succeeded card, and who may roll back', () => {
    const message = renderDeployCard(makeCardIn('succeeded'), makeContext());
    expect(sectionText(message, 'card_status')).toContain('health *Healthy* · took 1m 5s · by <@U0ALICE>');
    expect(allText(message)).toContain('Rollback: <@U0ALICE>');
  });

  it('names the rollback user and target', () => {
    const status = sectionText(renderDeployCard(makeCardIn('rolled-back'), makeContext()), 'card_status');
    expect(status).toContain(
      `by <@U0ALICE> to <https://github.com/sheeffii/RealtimeGaming/commit/${FROM_SHA}|0f9e8d7> (history 11)`,
    );
  });

  it('puts the revert PR on the card', () => {
    const card = {
      ...makeCardIn('succeeded', 'info'),
      revertPr: { url: 'https://github.com/sheeffii/RealtimeGaming/pull/77', number: 77, user: 'U0ALICE' },
    };
    expect(sectionText(renderDeployCard(card, makeContext()), 'card_status')).toContain(
      '↩️ Revert PR <https://github.com/sheeffii/RealtimeGaming/pull/77|#77> opened by <@U0ALICE>',
    );
  });
});

describe('untrusted text is escaped', () => {
  const hostile = '<!channel> deploy now & <https://evil.example|click> <@U0EVIL>';

  it('cannot ping or link from a commit subject, PR title, Argo message, notice or reject reason', () => {
    const card = makeCard({
      state: 'rejected',
      to: { sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', subject: hostile, author: hostile },
      changelog: {
        ...makeCard().changelog,
        commits: [{ sha: 'f'.repeat(40), subject: hostile, authorLogin: hostile }],
        pulls: [{ number: 1, title: hostile, url: 'https://github.com/o/r/pull/1', authorLogin: hostile }],
      },
      images: [{ name: hostile, from: hostile, to: hostile }],
      operation: { phase: 'Failed', message: hostile },
      notice: hostile,
      rejection: { user: 'U0BOB', reason: hostile, at: NOW },
      syncWindow: { blocked: true, description: hostile },
    });
    const message = renderDeployCard(card, makeContext({ frozen: { reason: hostile, endsAt: NOW } }));
    const text = allText(message);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil.example');
    expect(text).not.toContain('<@U0EVIL>');
    expect(text).toContain('&lt;!channel&gt; deploy now &amp;');
  });

  it('escapes the app name in the fallback text', () => {
    const card = makeCard({
      app: { instance: 'default', name: '<!here>', namespace: 'argocd', project: 'p' },
    });
    expect(renderDeployCard(card, makeContext()).text).toContain('&lt;!here&gt;');
  });
});

describe('changelog authors as Slack users', () => {
  it('mentions an author deploybot mapped to Slack, and shows the login otherwise', () => {
    const base = makeCard();
    const card = {
      ...base,
      changelog: {
        ...base.changelog,
        available: true,
        commits: [
          { sha: 'e'.repeat(40), subject: 'Mapped', authorLogin: 'dave' },
          { sha: 'f'.repeat(40), subject: 'Unmapped', authorLogin: 'frank' },
        ],
        totalCommits: 2,
        authorSlackIds: { dave: 'U0DAVE' },
      },
    };
    const text = JSON.stringify(renderDeployCard(card, makeContext()).blocks);
    expect(text).toContain('Mapped — <@U0DAVE>');
    expect(text).toContain('Unmapped — frank');
  });
});
