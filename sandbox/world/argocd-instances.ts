/**
 * The world's Argo CD instances: their names, their credentials and the bot environment that names them
 * (INTERFACE.md "Several Argo CD instances"). Pure: the fakes are started by start-world.ts.
 */

/** The one instance of a world started without `instances`, named as the bot names it. */
export const DEFAULT_INSTANCE = 'default';

const INSTANCE_NAME = /^[a-z0-9-]+$/;

/** Each instance gets its own token and notification secret, so a mix-up between two is a 401, never a pass. */
export interface InstanceCredentials {
  token: string;
  webhookSecret: string;
}

export function instanceCredentials(instance: string): InstanceCredentials {
  return {
    token: `sandbox-argocd-token-${instance}`,
    webhookSecret: `sandbox-argocd-webhook-secret-${instance}`,
  };
}

/** `eu-west` → `ARGOCD_EU_WEST_`: the prefix of that instance's variables. */
export function instanceEnvPrefix(instance: string): string {
  return `ARGOCD_${instance.toUpperCase().replace(/-/g, '_')}_`;
}

/** The names as given, checked as the bot checks them, so a world never starts that the bot would refuse. */
export function checkInstanceNames(instances: readonly string[]): string[] {
  const problems: string[] = [];
  if (instances.length === 0) problems.push('at least one instance is needed');
  for (const name of instances)
    if (!INSTANCE_NAME.test(name)) problems.push(`"${name}" is not an instance name ([a-z0-9-]+)`);
  const seen = new Set<string>();
  for (const name of instances) {
    if (seen.has(name)) problems.push(`"${name}" is named twice`);
    seen.add(name);
  }
  if (problems.length > 0) throw new Error(`world instances: ${problems.join('; ')}`);
  return [...instances];
}

/**
 * The bot's variables for multi-instance mode: `ARGOCD_INSTANCES` and four per instance. The legacy
 * `ARGOCD_URL`/`_TOKEN`/`_WEBHOOK_SECRET`/`_UI_URL` are absent: the bot refuses them next to `ARGOCD_INSTANCES`.
 */
export function multiInstanceEnv(urls: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = { ARGOCD_INSTANCES: Object.keys(urls).join(',') };
  for (const [instance, url] of Object.entries(urls)) {
    const prefix = instanceEnvPrefix(instance);
    const credentials = instanceCredentials(instance);
    env[`${prefix}URL`] = url;
    env[`${prefix}TOKEN`] = credentials.token;
    env[`${prefix}WEBHOOK_SECRET`] = credentials.webhookSecret;
    env[`${prefix}UI_URL`] = url;
  }
  return env;
}

/** `eu/event-ingestion-prod` with several instances, the bare name with one (as the bot's cards name apps). */
export function appLabel(instance: string, app: string, multiInstance: boolean): string {
  return multiInstance ? `${instance}/${app}` : app;
}
