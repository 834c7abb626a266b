import type { AppContext } from '../app/context.js';
import type { CardService } from '../cards/card-service.js';
import { GitHubDeploymentRecorder } from './github-deployment-recorder.js';

/** GitHub Deployments follow card transitions on whichever replica made them. */
export function registerGitHubDeployments(ctx: AppContext, cards: CardService): GitHubDeploymentRecorder {
  const recorder = new GitHubDeploymentRecorder(ctx, cards.repo);
  cards.events.on('transition', (transition) => recorder.onTransition(transition));
  ctx.onShutdown(() => recorder.idle());
  return recorder;
}
