import { describe, expect, it } from 'vitest';
import type { CardState } from '../../../src/domain/card.js';
import { renderDeployCard } from '../../../src/render/deploy-card.js';
import { ACTION_IDS } from '../../../src/render/ids.js';
import { ALL_STATES, makeCard, makeCardIn, makeContext } from './card-fixture.js';
import { actionIdsOf, findButtons } from './message-helpers.js';

const { approve, reject, abort, rollback, revertInGit, retry, openInArgo, openPullRequest } = ACTION_IDS;

const APPROVAL_BUTTONS: Record<CardState, string[]> = {
  pending: [approve, reject, openInArgo],
  approved: [approve, reject, openInArgo],
  syncing: [abort, openInArgo],
  succeeded: [rollback, openInArgo],
  failed: [retry, openInArgo],
  degraded: [rollback, openInArgo],
  rejected: [],
  superseded: [],
  expired: [],
  'rolling-back': [openInArgo],
  'rolled-back': [],
};

const INFO_BUTTONS: Record<CardState, string[]> = {
  pending: [openInArgo],
  approved: [openInArgo],
  syncing: [openInArgo],
  succeeded: [revertInGit, openInArgo],
  failed: [openInArgo],
  degraded: [revertInGit, openInArgo],
  rejected: [],
  superseded: [],
  expired: [],
  'rolling-back': [openInArgo],
  'rolled-back': [],
};

const CONFIRMED = new Set<string>([approve, abort, rollback, revertInGit, retry]);

describe('deploy card buttons', () => {
  it.each(ALL_STATES)('an approval card in %s offers exactly its buttons', (state) => {
    expect(actionIdsOf(renderDeployCard(makeCardIn(state, 'approval'), makeContext()))).toEqual(
      APPROVAL_BUTTONS[state],
    );
  });

  it.each(ALL_STATES)('an info (auto-sync) card in %s never offers approval buttons', (state) => {
    const ids = actionIdsOf(renderDeployCard(makeCardIn(state, 'info'), makeContext()));
    expect(ids).toEqual(INFO_BUTTONS[state]);
    expect(ids).not.toContain(approve);
    expect(ids).not.toContain(reject);
  });

  it.each(ALL_STATES)(
    'in %s every interactive button carries only the card id, and link buttons none',
    (state) => {
      for (const kind of ['approval', 'info'] as const) {
        const card = makeCardIn(state, kind);
        for (const b of findButtons(renderDeployCard(card, makeContext()))) {
          if (b.url) expect(b.value).toBeUndefined();
          else expect(b.value).toBe(card.id);
        }
      }
    },
  );

  it.each(ALL_STATES)(
    'in %s the dangerous and deploying buttons ask for confirmation with all four fields',
    (state) => {
      for (const b of findButtons(renderDeployCard(makeCardIn(state), makeContext()))) {
        if (!CONFIRMED.has(b.action_id)) {
          expect(b.confirm).toBeUndefined();
          continue;
        }
        const c = b.confirm;
        expect(c).toBeDefined();
        if (!c) continue;
        for (const [part, max] of [
          [c.title, 100],
          [c.text, 300],
          [c.confirm, 30],
          [c.deny, 30],
        ] as const) {
          expect(part.type).toBe('plain_text');
          expect(part.text.length).toBeGreaterThan(0);
          expect(part.text.length).toBeLessThanOrEqual(max);
        }
      }
    },
  );

  it('styles Approve & Sync primary, Abort and Rollback danger, and Reject plain (it opens a modal)', () => {
    const pending = findButtons(renderDeployCard(makeCardIn('pending'), makeContext()));
    expect(pending.find((b) => b.action_id === approve)?.style).toBe('primary');
    expect(pending.find((b) => b.action_id === reject)?.style).toBeUndefined();
    const syncing = findButtons(renderDeployCard(makeCardIn('syncing'), makeContext()));
    expect(syncing.find((b) => b.action_id === abort)?.style).toBe('danger');
    expect(syncing.find((b) => b.action_id === abort)?.confirm?.style).toBe('danger');
    const succeeded = findButtons(renderDeployCard(makeCardIn('succeeded'), makeContext()));
    expect(succeeded.find((b) => b.action_id === rollback)?.style).toBe('danger');
  });

  it('names the app, the environment and the short sha in the approve confirmation, even for long names', () => {
    const card = makeCard({
      app: { instance: 'default', name: `payments-${'x'.repeat(240)}`, namespace: 'argocd', project: 'p' },
      environment: `production-${'e'.repeat(100)}`,
      to: { sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', subject: 'y'.repeat(10_000) },
    });
    const button = findButtons(renderDeployCard(card, makeContext())).find((b) => b.action_id === approve);
    const text = button?.confirm?.text.text ?? '';
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text).toContain('payments-xxx');
    expect(text).toContain('production-eee');
    expect(text).toContain('a1b2c3d');
    expect(text).toContain('Argo CD deploys exactly this revision.');
  });

  it('links the Argo CD button to <ui>/applications/<namespace>/<name> without a doubled slash', () => {
    const argo = findButtons(renderDeployCard(makeCardIn('pending'), makeContext())).find(
      (b) => b.action_id === openInArgo,
    );
    expect(argo?.url).toBe('https://argocd.example.com/applications/argocd/event-ingestion-prod');
  });

  it('replaces Revert in Git with a link to the revert PR once one was opened', () => {
    const card = {
      ...makeCardIn('succeeded', 'info'),
      revertPr: { url: 'https://github.com/sheeffii/RealtimeGaming/pull/77', number: 77, user: 'U0ALICE' },
    };
    const buttons = findButtons(renderDeployCard(card, makeContext()));
    expect(buttons.map((b) => b.action_id)).toEqual([openPullRequest, openInArgo]);
    expect(buttons[0]?.url).toBe('https://github.com/sheeffii/RealtimeGaming/pull/77');
    expect(buttons[0]?.text.text).toBe('Open revert PR #77');
  });

  it('offers Rollback, not Revert in Git, on a manual-sync app and the reverse on an auto-sync app', () => {
    const manual = actionIdsOf(
      renderDeployCard({ ...makeCardIn('degraded'), autoSync: false }, makeContext()),
    );
    const auto = actionIdsOf(renderDeployCard({ ...makeCardIn('degraded'), autoSync: true }, makeContext()));
    expect(manual).toContain(rollback);
    expect(manual).not.toContain(revertInGit);
    expect(auto).toContain(revertInGit);
    expect(auto).not.toContain(rollback);
  });
});
