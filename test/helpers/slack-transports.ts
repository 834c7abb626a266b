import type { SlackTransport } from '../../sandbox/world/start-world.js';

/**
 * The transports every card, action, modal and command suite runs over (`describe.each`): Slack's
 * signed HTTP requests and Socket Mode envelopes. `SLACK_TRANSPORTS=socket npx vitest run ...` narrows
 * a local run to one.
 */
export const SLACK_TRANSPORTS: readonly SlackTransport[] = (() => {
  const wanted = process.env.SLACK_TRANSPORTS?.split(',').map((t) => t.trim());
  const all: SlackTransport[] = ['http', 'socket'];
  return wanted ? all.filter((t) => wanted.includes(t)) : all;
})();
