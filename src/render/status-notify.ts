import { buildMessage, type SlackMessage, section } from './block-kit.js';

/** The answer to `/deploy-status notify on|off`. */
export function renderNotifySetting(on: boolean): SlackMessage {
  const text = on
    ? '🔔 You will get a DM when a change of yours is deployed (in environments that notify authors). `/deploy-status notify off` stops them.'
    : '🔕 You will no longer get DMs when your changes are deployed. `/deploy-status notify on` turns them back on.';
  return buildMessage(text, [section('status_notify', text)]);
}
