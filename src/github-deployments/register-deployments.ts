import type { CardService } from '../cards/card-service.js';
import { type DeploymentRecorderDeps, GitHubDeploymentRecorder } from './github-deployment-recorder.js';

/** The recorder's ports and the shutdown hook. */
export interface DeploymentsDeps extends DeploymentRecorderDeps {
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
