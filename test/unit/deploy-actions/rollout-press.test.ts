import { describe, expect, it } from 'vitest';
import { parseRolloutPress } from '../../../src/deploy-actions/rollout-action.js';

describe('parseRolloutPress: what a Rollout button carries', () => {
  it('reads <cardId>|<rollout>|<stepToken>', () => {
    expect(parseRolloutPress('c1|event-consumer|6b566f47b7.1.p')).toEqual({
      cardId: 'c1',
      rollout: 'event-consumer',
      token: '6b566f47b7.1.p',
    });
  });

  it.each([undefined, 42, '', 'c1', 'c1|r', 'c1||t', 'c1|r|t|extra', `c1|r|${'x'.repeat(500)}`])(
    'refuses %s',
    (value) => {
      expect(parseRolloutPress(value)).toBeUndefined();
    },
  );
});
