import { buildMessage, type SlackMessage, section } from './block-kit.js';
import { truncate } from './limits.js';
import { escapeMrkdwn, oneLine } from './mrkdwn.js';

// mrkdwn: a literal < would start a link, so placeholders are written as entities.
const USAGE = [
  '*`/deploy-status`* — every application: sync, health, deployed revision, images, pending approvals (problems first)',
  '*`/deploy-status prod`* — one environment (any environment in the policy file)',
  '*`/deploy-status event-*`* — applications whose name matches a pattern (`*` and `?`, at most 100 characters)',
  '*`/deploy-status gamemetrics`* — one Argo CD project (or `project:&lt;name&gt;`, `env:&lt;name&gt;`, `app:&lt;glob&gt;` to be explicit)',
  '*`/deploy-status prod pending`* — add `pending` to see only apps waiting for approval',
  '*`/deploy-status mine`* — apps whose pending or last deploy holds a commit of yours',
  "*`/deploy-status eu/api-*`* — with several Argo CD instances: one instance's apps matching a pattern (`audit eu/&lt;app&gt;` likewise)",
  '*`/deploy-status audit &lt;app&gt;`* — the last 20 decisions on an application (approvals, rejections, syncs, rollbacks), then refusals with their counts',
  '*`/deploy-status stats [env | app-glob] [7d | 30d | 90d]`* — delivery stats (default 30 days): deploys, lead time for changes, change failure rate, time to restore, approval wait',
  '*`/deploy-status notify off`* / *`notify on`* — stop or resume the DM you get when a change of yours is deployed',
  '*`/deploy-status help`* — this help',
];

/** Usage, with what was wrong with the last query when there was something. */
export function renderStatusHelp(problem?: string): SlackMessage {
  const intro = problem
    ? `⚠️ ${escapeMrkdwn(truncate(oneLine(problem), 300))}`
    : '*deploybot status* — answers only you can see.';
  const text = `${intro}\n${USAGE.join('\n')}`;
  return buildMessage(text, [section('status_help', text)]);
}
