/** GitHub webhooks (verified, allow-listed and parsed at the edge) → card checks and push notes. */

import type { CardService } from '../cards/card-service.js';
import { notePush } from '../cards/push-notes.js';
import type { GitHubClient } from '../clients/github/github-client.js';
import type { Config } from '../config/load-config.js';
import type { Dispatcher } from '../inbound/dispatcher.js';
import type { GitHubEventName, GitHubPayload } from '../inbound/github-event-schemas.js';
import type { Logger } from '../logging/create-logger.js';
import { ChecksRefresher } from './checks-refresher.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface GitHubEventsDeps {
  dispatcher: Dispatcher;
  /** Background work to stop on shutdown. */
  onShutdown(task: () => Promise<void>): void;
  github?: GitHubClient;
  logger: Logger;
  config: Config;
}

export interface GitHubEventsFeature {
  checks: ChecksRefresher;
  /** Resolves when the work set off by events so far has finished (tests, shutdown). */
  idle(): Promise<void>;
}

/** The commit whose CI state an event reports, when it reports a finished or changed one. */
function ciCommitOf(name: string, payload: unknown): string | undefined {
  switch (name as GitHubEventName) {
    case 'workflow_run': {
      const p = payload as GitHubPayload<'workflow_run'>;
      return p.action === 'completed' ? p.workflow_run.head_sha : undefined;
    }
    case 'check_suite': {
      const p = payload as GitHubPayload<'check_suite'>;
      return p.action === 'completed' ? p.check_suite.head_sha : undefined;
    }
    case 'check_run': {
      const p = payload as GitHubPayload<'check_run'>;
      return p.action === 'completed' ? p.check_run.head_sha : undefined;
    }
    case 'status':
      return (payload as GitHubPayload<'status'>).sha;
    default:
      return undefined;
  }
}

export function registerGitHubEvents(ctx: GitHubEventsDeps, cards: CardService): GitHubEventsFeature {
  const checks = new ChecksRefresher(ctx, cards);
  const pushes = new Set<Promise<unknown>>();
  ctx.dispatcher.on('github.event', async ({ name, payload }, log) => {
    const sha = ciCommitOf(name, payload);
    if (sha) {
      const repo = (payload as { repository: { full_name: string } }).repository.full_name;
      await checks.request(repo, sha, log);
      return;
    }
    if (name === 'push') {
      const work = notePush(ctx, cards, payload as GitHubPayload<'push'>, log);
      pushes.add(work);
      await work.finally(() => pushes.delete(work));
      return;
    }
    if (name === 'deployment' || name === 'deployment_status') {
      // Our own Deployments API writes echo back here; nothing to do for them or for anyone else's.
      const sender = (payload as GitHubPayload<'deployment'>).sender;
      log.debug({ sender: sender?.login, bot: sender?.type === 'Bot' }, 'deployment event ignored');
    }
  });
  const idle = async () => {
    await Promise.allSettled([...pushes]);
    await checks.idle();
  };
  ctx.onShutdown(idle);
  return { checks, idle };
}
