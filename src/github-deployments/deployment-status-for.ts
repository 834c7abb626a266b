import type { DeploymentStatusInput } from '../clients/github/github-client.js';
import { appLabel } from '../domain/app-label.js';
import { type Card, shortSha } from '../domain/card.js';
import { isProductionEnvironment } from '../releases/is-production-environment.js';

export type RecordedState = DeploymentStatusInput['state'];

/** The GitHub deployment status a card state stands for; undefined for states that are no deploy. */
export function deploymentStateFor(card: Pick<Card, 'state'>): RecordedState | undefined {
  switch (card.state) {
    case 'syncing':
      return 'in_progress';
    case 'succeeded':
      return 'success';
    case 'failed':
    case 'degraded':
      return 'failure';
    case 'rolled-back':
      return 'inactive';
    default:
      return undefined;
  }
}

/**
 * One GitHub environment per application and deploybot environment: two apps deploying to "prod" from
 * one repository are two targets, and marking one inactive must not touch the other.
 */
export function githubEnvironmentName(card: Pick<Card, 'environment' | 'app'>): string {
  // An app of a named instance (ARGOCD_INSTANCES) is `<env>/<instance>/<app>`: eu's and us's "api" are two targets.
  return `${card.environment}/${appLabel(card.app)}`;
}

export function isProductionDeployment(card: Pick<Card, 'environment'>): boolean {
  return isProductionEnvironment(card.environment);
}

/** ≤140 characters (GitHub refuses longer descriptions). */
export function describeDeploymentStatus(card: Card, state: RecordedState): string {
  const sha = shortSha(card.revision);
  const text = (() => {
    switch (state) {
      case 'in_progress':
        return `Argo CD is syncing ${sha} to ${card.environment}`;
      case 'success':
        return `${sha} deployed to ${card.environment}${card.health ? `, health ${card.health}` : ''}`;
      case 'failure':
        return card.state === 'degraded'
          ? `${sha} deployed but ${card.health ?? 'Degraded'}`
          : `Sync of ${sha} failed: ${card.operation?.message ?? card.notice ?? 'see the deploy card'}`;
      case 'inactive':
        return `${sha} was rolled back`;
      default:
        return `${sha}: ${state}`;
    }
  })();
  return text.replace(/\s+/g, ' ').slice(0, 140);
}
