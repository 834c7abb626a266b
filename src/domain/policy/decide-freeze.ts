import { checkPeople, freezeRole, type PeopleInput } from './check-people.js';
import type { Decision } from './types.js';

/**
 * Freezing an environment from Slack, or ending its Slack freeze: its approvers and break-glass
 * principals (those who answer for it); listing freezes is for everyone and needs no decision.
 */
export function decideFreezeCommand(input: PeopleInput, kind: 'freeze' | 'off'): Decision {
  const deed =
    kind === 'freeze' ? `freeze ${input.environment.name}` : `end the ${input.environment.name} freeze`;
  return checkPeople(input, freezeRole(input.environment, deed)) ?? { allowed: true };
}
