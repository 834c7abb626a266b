import { describe, expect, it } from 'vitest';
import type { RolloutView } from '../../../src/domain/rollout-view.js';
import { rolloutActionIds } from '../../../src/render/card-rollouts.js';
import { renderDeployCard } from '../../../src/render/deploy-card.js';
import { ACTION_IDS } from '../../../src/render/ids.js';
import { checkBlockKitLimits } from './block-kit-limits.js';
import { makeCardIn, makeContext } from './card-fixture.js';
import { findButtons, sectionText } from './message-helpers.js';

const paused: RolloutView = {
  name: 'event-consumer',
  namespace: 'events',
  strategy: 'canary',
  phase: 'Paused',
  step: 1,
  steps: 5,
  weight: 20,
  pauseReason: 'CanaryPauseStep',
  aborted: false,
  analysis: [{ kind: 'background', name: 'ec-1', phase: 'Running' }],
  currentRevision: 'new',
  stableRevision: 'old',
};

describe('the Rollouts section of the deploy card', () => {
  it('shows step, weight, phase, pause reason and analysis, with Promote / Promote fully / Abort', () => {
    const card = { ...makeCardIn('succeeded'), rollouts: [paused], rolloutCount: 1 };
    const message = renderDeployCard(card, makeContext());
    expect(sectionText(message, 'card_rollouts')).toContain(
      'canary step 1 of 5, weight 20% · paused (CanaryPauseStep) · analysis Running (ec-1)',
    );
    const buttons = findButtons(message).filter((b) => b.action_id.startsWith('rollout_'));
    expect(buttons.map((b) => b.action_id)).toEqual([
      `${ACTION_IDS.rolloutPromote}_0`,
      `${ACTION_IDS.rolloutPromoteFull}_0`,
      `${ACTION_IDS.rolloutAbort}_0`,
    ]);
    // Each button is one its listener registers (as a string), and Promote's does not take Promote fully's.
    expect(rolloutActionIds(ACTION_IDS.rolloutPromote)).toContain(buttons[0]?.action_id);
    expect(rolloutActionIds(ACTION_IDS.rolloutPromote)).not.toContain(buttons[1]?.action_id);
    expect(rolloutActionIds(ACTION_IDS.rolloutPromoteFull)).toContain(buttons[1]?.action_id);
    expect(buttons.map((b) => b.value)).toEqual(Array(3).fill(`${card.id}|event-consumer|new.1.p`));
    expect(buttons[1]?.confirm).toBeDefined();
    expect(buttons[2]).toMatchObject({ style: 'danger' });
    expect(checkBlockKitLimits(message)).toEqual([]);
  });

  it('offers Retry after an abort, escapes what Argo CD says, and bounds the number of Rollouts', () => {
    const aborted: RolloutView = {
      ...paused,
      phase: 'Degraded',
      aborted: true,
      pauseReason: undefined,
      message: 'RolloutAborted: <!channel> & co',
      analysis: [{ kind: 'background', phase: 'Failed' }],
    };
    const many = Array.from({ length: 5 }, (_, i) => ({ ...paused, name: `r${i}` }));
    const card = { ...makeCardIn('degraded'), rollouts: [aborted, ...many.slice(1)], rolloutCount: 9 };
    const message = renderDeployCard(card, makeContext());
    const text = sectionText(message, 'card_rollouts');
    expect(text).toContain('aborted after a failed analysis');
    expect(text).toContain('RolloutAborted: &lt;!channel&gt; &amp; co');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('…and 4 more Rollouts');
    expect(findButtons(message).filter((b) => b.action_id === `${ACTION_IDS.rolloutRetry}_0`)).toHaveLength(
      1,
    );
    expect(checkBlockKitLimits(message)).toEqual([]);
  });

  it('offers no Rollout button on a card that no longer speaks for the app', () => {
    const card = { ...makeCardIn('superseded'), rollouts: [paused], rolloutCount: 1 };
    const buttons = findButtons(renderDeployCard(card, makeContext()));
    expect(buttons.some((b) => b.action_id.startsWith('rollout_'))).toBe(false);
  });
});
