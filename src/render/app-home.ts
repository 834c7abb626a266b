import type { CardState } from '../domain/card.js';
import { type Block, context, header, section } from './block-kit.js';
import { LIMITS, truncate } from './limits.js';
import { code, escapeMrkdwn, link, oneLine, slackDate } from './mrkdwn.js';

/** One card as the Home tab lists it; text fields are raw (escaped here). */
export interface HomeCard {
  app: string;
  environment: string;
  revision: string;
  subject?: string;
  state: CardState;
  /** The card's message in its channel. */
  permalink?: string;
  /** When it was posted (pending), or last changed (in flight, deployed). */
  at: number;
}

export interface AppHomeInput {
  pendingApprovals: readonly HomeCard[];
  inFlight: readonly HomeCard[];
  lastDeploys: readonly HomeCard[];
  /** Cards that could not be read (store trouble): said, not hidden. */
  incomplete?: boolean;
}

export interface HomeView {
  type: 'home';
  callback_id: string;
  blocks: Block[];
}

const APP_HOME_CALLBACK_ID = 'deploybot_home';
/** Slack's limit for a Home tab view. */
export const HOME_MAX_BLOCKS = 100;
/** Per list: three lists of this many plus headers and notes stay well inside 100 blocks. */
const HOME_LIST_MAX = 25;

const STATE_ICON: Partial<Record<CardState, string>> = {
  pending: '⏳',
  approved: '✅',
  syncing: '🔄',
  succeeded: '🟢',
  degraded: '🟠',
  failed: '🔴',
  'rolling-back': '↩️',
  'rolled-back': '↩️',
};

function cardLine(card: HomeCard): string {
  const name = link(card.permalink, `*${escapeMrkdwn(truncate(card.app, 200))}*`);
  // Cut before escaping: a cut after it could split `&lt;` into a bare `&l`.
  const subject = card.subject ? ` ${escapeMrkdwn(truncate(oneLine(card.subject), 300))}` : '';
  const icon = STATE_ICON[card.state] ?? '•';
  return `${icon} ${name} ${code(card.revision.slice(0, 7))} → ${escapeMrkdwn(card.environment)}${subject}\n${escapeMrkdwn(card.state)} · ${slackDate(card.at)}`;
}

function list(blockId: string, title: string, cards: readonly HomeCard[], empty: string): Block[] {
  const blocks: Block[] = [header(`${blockId}_header`, title)];
  if (cards.length === 0) {
    blocks.push(context(`${blockId}_empty`, [empty]));
    return blocks;
  }
  cards.slice(0, HOME_LIST_MAX).forEach((card, i) => {
    blocks.push(section(`${blockId}_${i}`, cardLine(card)));
  });
  if (cards.length > HOME_LIST_MAX)
    blocks.push(
      context(`${blockId}_more`, [
        `…and ${cards.length - HOME_LIST_MAX} more; \`/deploy-status\` lists them all.`,
      ]),
    );
  return blocks;
}

/** The viewer's Home tab: what waits for them, what of theirs is moving, and what shipped last. */
export function renderAppHome(input: AppHomeInput): HomeView {
  const blocks: Block[] = [
    ...list(
      'home_pending',
      'Waiting for your approval',
      input.pendingApprovals,
      'Nothing waits for you. Cards you may approve show up here.',
    ),
    { type: 'divider' },
    ...list(
      'home_mine',
      'Your changes in flight',
      input.inFlight,
      'No change of yours is pending or syncing.',
    ),
    { type: 'divider' },
    ...list('home_recent', 'Last deploys', input.lastDeploys, 'No deploys yet.'),
  ];
  if (input.incomplete)
    blocks.push(context('home_incomplete', ['⚠️ Some cards could not be read just now; open the tab again.']));
  return {
    type: 'home',
    callback_id: APP_HOME_CALLBACK_ID.slice(0, LIMITS.id),
    blocks: blocks.slice(0, HOME_MAX_BLOCKS),
  };
}
