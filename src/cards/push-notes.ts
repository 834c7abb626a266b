/**
 * A push to a branch an app tracks: commits are on their way. The app's current card gets an
 * "incoming" note so the people watching it know a newer revision will follow.
 */
import type { Config } from '../config/load-config.js';
import { TERMINAL_STATES } from '../domain/card.js';
import { findActiveCards } from '../github-checks/cards-for-revision.js';
import type { GitHubPayload } from '../inbound/github-event-schemas.js';
import type { Logger } from '../logging/create-logger.js';
import { buildCompareUrl } from '../render/links.js';
import { appId } from '../store/keys.js';
import type { CardService } from './card-service.js';
import { githubWebUrl } from './render-card.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface PushNotesDeps {
  config: Config;
}

const ZERO_SHA = /^0+$/;

/** Returns the ids of the cards that got a note. */
export async function notePush(
  ctx: PushNotesDeps,
  cards: CardService,
  push: GitHubPayload<'push'>,
  log: Logger,
): Promise<string[]> {
  if (!push.ref.startsWith('refs/heads/') || ZERO_SHA.test(push.after)) return [];
  const branch = push.ref.slice('refs/heads/'.length);
  const tracking = await findActiveCards(
    cards.repo,
    push.repository.full_name,
    (card) => card.source.targetRevision === branch,
  );
  const apps = new Map(tracking.map((card) => [appId(card.app), card.app]));
  const noted: string[] = [];
  for (const app of apps.values()) {
    const current = await cards.repo.currentTarget(app);
    if (!current || current.revision === push.after) continue;
    const card = await cards.repo.get(current.cardId);
    if (!card || TERMINAL_STATES.has(card.state)) continue;
    const [owner = '', name = ''] = push.repository.full_name.split('/');
    const compareUrl = ZERO_SHA.test(push.before)
      ? undefined
      : buildCompareUrl(
          githubWebUrl(ctx.config.env.GITHUB_API_URL),
          { owner, name },
          push.before,
          push.after,
        );
    cards.note(card.id, {
      type: 'push',
      ref: push.ref,
      headSha: push.after,
      commits: push.commits.length,
      pusher: push.sender?.login,
      compareUrl,
    });
    noted.push(card.id);
  }
  if (noted.length > 0) log.info({ branch, cards: noted.length }, 'push noted on tracking cards');
  return noted;
}
