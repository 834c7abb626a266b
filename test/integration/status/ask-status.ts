import { expect } from 'vitest';
import type { EphemeralMessage } from '../../../sandbox/fake-slack/types.js';
import { CHANNELS } from '../../../sandbox/world/seed.js';
import type { World } from '../../../sandbox/world/start-world.js';
import { eventually } from '../../helpers/start-world-bot.js';
import { checkBlockKitLimits } from '../../unit/render/block-kit-limits.js';

/** Everything a person reads in an answer: fallback text and every block's text. */
export function readAnswer(message: { text?: string; blocks?: unknown[] }): string {
  return `${message.text ?? ''}\n${JSON.stringify(message.blocks ?? [])}`;
}

/** Runs `/deploy-status <text>` as `user` and returns the ephemeral answer that arrives over the response_url. */
export async function askStatus(
  world: World,
  user: string,
  text: string,
  channel: string = CHANNELS.deploys.id,
): Promise<EphemeralMessage> {
  const before = world.slack.ephemerals({ user }).length;
  const result = await world.slack.slashCommand({ user, channel, command: '/deploy-status', text });
  expect(result.status).toBe(200);
  expect(result.problems).toBeUndefined();
  const answer = await eventually(() =>
    world.slack
      .ephemerals({ user })
      .slice(before)
      .find((e) => e.source === 'response_url'),
  );
  expect(checkBlockKitLimits(answer)).toEqual([]);
  return answer;
}

/** Presses Next on an answer and returns the same ephemeral, replaced with the following page. */
export async function pressNext(world: World, answer: EphemeralMessage): Promise<EphemeralMessage> {
  const before = JSON.stringify(answer.blocks);
  const click = await world.slack.clickButton({
    user: answer.user,
    channel: answer.channel,
    ts: answer.ts,
    actionId: 'status_next_page',
  });
  expect(click.status).toBe(200);
  const next = await eventually(() => {
    const current = world.slack
      .ephemerals({ user: answer.user })
      .find((e) => e.ts === answer.ts && e.channel === answer.channel);
    return current && JSON.stringify(current.blocks) !== before ? current : undefined;
  });
  expect(checkBlockKitLimits(next)).toEqual([]);
  return next;
}

/** App names shown on an answer, in order (each app is a section whose block_id starts with status_app_). */
export function appsShown(answer: EphemeralMessage): string[] {
  return (answer.blocks ?? [])
    .filter((b) => String(b.block_id ?? '').startsWith('status_app_'))
    .map((b) => {
      const text = String((b.text as { text?: string } | undefined)?.text ?? '');
      return /\|([^>]+)>\*/.exec(text)?.[1] ?? text.split('\n')[0] ?? '';
    });
}

export function hasNextButton(answer: EphemeralMessage): boolean {
  return readAnswer(answer).includes('status_next_page');
}
