import type { ArgoCdClient, ResourceRef } from '../clients/argocd/argocd-client.js';
import type { AppRef } from '../domain/card.js';
import { MAX_ROLLOUTS_SHOWN, type RolloutView, toRolloutView } from '../domain/rollout-view.js';

export interface ReadRollouts {
  views: RolloutView[];
  /** Rollouts in the app's tree, shown or not. */
  total: number;
}

/** Where Argo CD finds a Rollout the card shows (GET …/resource and actions v2 name it so). */
export function rolloutRef(view: Pick<RolloutView, 'name' | 'namespace'>): ResourceRef {
  return {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Rollout',
    namespace: view.namespace,
    name: view.name,
  };
}

/**
 * The app's Argo Rollouts as Argo CD sees them now: the resource tree names them, each is read live
 * (at most MAX_ROLLOUTS_SHOWN, sorted by name so the card's rows keep their order).
 */
export async function readRollouts(
  argocd: Pick<ArgoCdClient, 'resourceTree' | 'getRollout'>,
  app: AppRef,
): Promise<ReadRollouts> {
  const tree = await argocd.resourceTree(app);
  const nodes = (tree.nodes ?? [])
    .filter((n) => n.group === 'argoproj.io' && n.kind === 'Rollout' && n.name)
    .map((n) => ({ name: n.name as string, namespace: n.namespace ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace));
  const shown = nodes.slice(0, MAX_ROLLOUTS_SHOWN);
  const views = await Promise.all(
    shown.map(async (n) => toRolloutView(await argocd.getRollout(app, rolloutRef(n)))),
  );
  return { views, total: nodes.length };
}
