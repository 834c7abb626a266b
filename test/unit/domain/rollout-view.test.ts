import { describe, expect, it } from 'vitest';
import {
  availableRolloutActions,
  describeRolloutState,
  describeRolloutStep,
  isRolloutInFlight,
  type LiveRollout,
  rolloutStepToken,
  toRolloutView,
} from '../../../src/domain/rollout-view.js';

const STEPS = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }, { setWeight: 100 }];

function canary(status: NonNullable<LiveRollout['status']>): LiveRollout {
  return {
    metadata: { name: 'event-consumer', namespace: 'events' },
    spec: { strategy: { canary: { steps: STEPS } } },
    status: { stableRS: 'old', currentPodHash: 'new', ...status },
  };
}

describe('toRolloutView and what the card offers', () => {
  it('paused at a pause step: Promote, Promote fully and Abort; in flight', () => {
    const view = toRolloutView(
      canary({ phase: 'Paused', currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep' }] }),
    );
    expect(describeRolloutStep(view)).toBe('canary step 1 of 5, weight 20%');
    expect(describeRolloutState(view)).toBe('paused (CanaryPauseStep)');
    expect(availableRolloutActions(view)).toEqual(['resume', 'promote-full', 'abort']);
    expect(isRolloutInFlight(view)).toBe(true);
    expect(rolloutStepToken(view)).toBe('new.1.p');
  });

  it('progressing between steps: no buttons, still followed; the reported weight wins', () => {
    const view = toRolloutView(
      canary({ phase: 'Progressing', currentStepIndex: 2, canary: { weights: { canary: { weight: 35 } } } }),
    );
    expect(availableRolloutActions(view)).toEqual([]);
    expect(view.weight).toBe(35);
    expect(isRolloutInFlight(view)).toBe(true);
  });

  it('aborted: Retry only, no longer followed, and the token changes so an old Promote is stale', () => {
    const paused = toRolloutView(
      canary({ currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep' }] }),
    );
    const aborted = toRolloutView(canary({ phase: 'Degraded', abort: true, currentStepIndex: 1 }));
    expect(availableRolloutActions(aborted)).toEqual(['retry']);
    expect(isRolloutInFlight(aborted)).toBe(false);
    expect(rolloutStepToken(aborted)).not.toBe(rolloutStepToken(paused));
  });

  it('fully promoted: Healthy, weight 100%, nothing to press', () => {
    const view = toRolloutView(canary({ currentPodHash: 'old', currentStepIndex: 5 }));
    expect(view).toMatchObject({ phase: 'Healthy', weight: 100 });
    expect(availableRolloutActions(view)).toEqual([]);
    expect(isRolloutInFlight(view)).toBe(false);
  });

  it('blue-green waiting on its preview offers promotion; the step token names the active revision', () => {
    const view = toRolloutView({
      metadata: { name: 'web' },
      spec: { strategy: { blueGreen: { activeService: 'a', previewService: 'p' } } },
      status: {
        currentPodHash: 'b2',
        pauseConditions: [{ reason: 'BlueGreenPause' }],
        blueGreen: { activeSelector: 'b1', previewSelector: 'b2' },
      },
    });
    expect(describeRolloutStep(view)).toBe('blue-green, preview b2 (active b1)');
    expect(availableRolloutActions(view)).toEqual(['resume', 'promote-full', 'abort']);
    expect(rolloutStepToken(view)).toBe('b2.b1.p');
  });
});
