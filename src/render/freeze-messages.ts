/** `/deploy-freeze` answers and the announcements a freeze makes in its environment's channel. */
import { formatDuration } from '../config/duration.js';
import { buildMessage, type SlackMessage, section } from './block-kit.js';
import { truncate, truncateMrkdwn } from './limits.js';
import { escapeMrkdwn, mentionUser, oneLine, slackDate } from './mrkdwn.js';

// mrkdwn: `<` and `>` are written escaped even inside code, as Slack asks (the client shows `<env>`).
const FREEZE_USAGE = [
  '*/deploy-freeze* — freeze deploys of an environment from Slack',
  '• `/deploy-freeze &lt;env&gt; &lt;duration&gt; &lt;reason…&gt;` freezes it now, for `30m`, `2h`, `1d`… (at most `14d`)',
  '• `/deploy-freeze off &lt;env&gt;` ends its freeze',
  '• `/deploy-freeze` lists the freezes in force, the policy file’s included',
  'Freezing and ending are for the environment’s approvers and break-glass principals; rollbacks are never frozen.',
].join('\n');

/** One freeze as listed: `by` absent for a window of deploybot.yaml. */
export interface ListedFreeze {
  environment: string;
  reason: string;
  endsAt: number;
  by?: string;
  source: 'policy' | 'slack';
}

const reasonText = (reason: string) => escapeMrkdwn(truncate(oneLine(reason), 300));

/** Bad input: what was wrong (plain text from the parser, escaped here), then the usage. */
export function renderFreezeUsage(problem?: string): SlackMessage {
  const text = problem ? `⚠️ ${escapeMrkdwn(problem)}\n\n${FREEZE_USAGE}` : FREEZE_USAGE;
  return buildMessage(text, [section('freeze_usage', text)]);
}

export function renderFreezeList(freezes: readonly ListedFreeze[]): SlackMessage {
  if (freezes.length === 0) {
    const text = '☀️ No freeze is in force: approvals are open in every environment.';
    return buildMessage(text, [section('freeze_list', text)]);
  }
  const lines = freezes.map((f) => {
    const who = f.source === 'slack' && f.by ? `by ${mentionUser(f.by)}` : 'by deploybot.yaml';
    return `• 🧊 *${escapeMrkdwn(f.environment)}* frozen ${who} until ${slackDate(f.endsAt)}: ${reasonText(f.reason)}`;
  });
  const text = `*Freezes in force*\n${lines.join('\n')}`;
  return buildMessage(text, [section('freeze_list', truncateMrkdwn(text, 3000))]);
}

export function renderFreezeDone(summary: string): SlackMessage {
  const text = `✅ ${summary}`;
  return buildMessage(text, [section('freeze_done', text)]);
}

/** In the environment's channel when a freeze starts. */
export function renderFreezeStarted(input: {
  environment: string;
  user: string;
  reason: string;
  until: number;
  durationMs: number;
}): SlackMessage {
  const text = `🧊 ${mentionUser(input.user)} froze *${escapeMrkdwn(input.environment)}* for ${formatDuration(input.durationMs)}, until ${slackDate(input.until)}: ${reasonText(input.reason)}. Approvals are refused until then; rollbacks still work.`;
  return buildMessage(text, [section('freeze_started', text)]);
}

/** In the environment's channel when someone ends a freeze before its time. */
export function renderFreezeEnded(input: {
  environment: string;
  user: string;
  reason: string;
}): SlackMessage {
  const text = `☀️ ${mentionUser(input.user)} ended the *${escapeMrkdwn(input.environment)}* freeze (${reasonText(input.reason)}). Approvals are open again.`;
  return buildMessage(text, [section('freeze_ended', text)]);
}

/** In channels.releases when someone approves through a freeze. */
export function renderBreakGlassNotice(input: {
  app: string;
  environment: string;
  shortSha: string;
  user: string;
  reason: string;
  freeze?: string;
  cardPermalink?: string;
}): SlackMessage {
  const card = input.cardPermalink ? ` (<${input.cardPermalink}|card>)` : '';
  const through = input.freeze ? ` through the freeze "${reasonText(input.freeze)}"` : ' through a freeze';
  const text = `🔨 ${mentionUser(input.user)} broke the glass on *${escapeMrkdwn(input.app)}* \`${input.shortSha}\` → ${escapeMrkdwn(input.environment)}${through}${card}: ${reasonText(input.reason)}`;
  return buildMessage(text, [section('break_glass', text)]);
}
