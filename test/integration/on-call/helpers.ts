import { expect } from 'vitest';
import type { EphemeralMessage } from '../../../sandbox/fake-slack/types.js';
import { POLICY_YAML } from '../../../sandbox/world/seed.js';
import type { World } from '../../../sandbox/world/start-world.js';
import { eventually } from '../../helpers/start-world-bot.js';
import { editPolicy, PROD } from '../actions/helpers.js';

/**
 * The sandbox policy with Carol (no approver) as the only prod break-glass principal: it replaces the seed's
 * own `breakGlass` line, since a second `breakGlass` key would make the YAML invalid.
 */
export const ON_CALL_POLICY = editPolicy(
  POLICY_YAML,
  '    breakGlass: { users: [U0BOB], groups: [S0ONCALL] }',
  '    breakGlass: { users: [U0CAROL] }',
);

/** Runs `/deploy-freeze <text>` as `user` and returns its ephemeral answer (over the response_url). */
export async function freezeCommand(
  world: World,
  user: string,
  text: string,
  channel: string = PROD,
): Promise<EphemeralMessage> {
  const before = world.slack.ephemerals({ user }).length;
  const result = await world.slack.slashCommand({ user, channel, command: '/deploy-freeze', text });
  expect(result.status).toBe(200);
  expect(result.problems).toBeUndefined();
  return eventually(() =>
    world.slack
      .ephemerals({ user })
      .slice(before)
      .find((e) => e.source === 'response_url'),
  );
}

export const reasonValues = (reason: string) => ({
  break_glass_reason_block: { break_glass_reason_input: reason },
});

/** Presses Break glass and returns the modal it opened for `user`. */
export async function openBreakGlass(world: World, user: string, ts: string) {
  const opened = world.slack.callsTo('views.open').length;
  const click = await world.slack.clickButton({ user, channel: PROD, ts, actionId: 'deploy_break_glass' });
  expect(click.status).toBe(200);
  await eventually(() => world.slack.callsTo('views.open').length > opened);
  return eventually(() =>
    world.slack.views.find(
      (v) => v.open && v.user === user && v.view.callback_id === 'deploy_break_glass_modal',
    ),
  );
}
