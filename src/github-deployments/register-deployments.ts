import type { CardService } from '../cards/card-service.js';
import type { GitHubClient } from '../clients/github/github-client.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/create-logger.js';
import type { Store } from '../store/store.js';
import { GitHubDeploymentRecorder } from './github-deployment-recorder.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface DeploymentsDeps {
  /** Base of Argo CD UI links. */
  argoUiUrl: string;
  config: Config;
  github?: GitHubClient;
  logger: Logger;
  slack: SlackClient;
  store: Store;
  /** Background work to stop on shutdown. */
  onShutdown(task: () => Promise<void>): void;
}

/** GitHub Deployments follow card transitions on whichever replica made them. */
export function registerGitHubDeployments(
  ctx: DeploymentsDeps,
  cards: CardService,
): GitHubDeploymentRecorder {
  const recorder = new GitHubDeploymentRecorder(ctx, cards.repo);
  cards.events.on('transition', (transition) => recorder.onTransition(transition));
  ctx.onShutdown(() => recorder.idle());
  return recorder;
}
