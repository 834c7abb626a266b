import { DEFAULT_INSTANCE } from './card.js';

/**
 * How cards, notes, announcements and answers name an app: `<instance>/<name>` when it lives in a named
 * Argo CD instance (ARGOCD_INSTANCES), the bare name in the one `default` instance, so a single-instance
 * deploybot reads as it always did. The same name on two instances is two apps and reads as two.
 */
export function appLabel(app: { instance: string; name: string }): string {
  return app.instance === DEFAULT_INSTANCE ? app.name : `${app.instance}/${app.name}`;
}
