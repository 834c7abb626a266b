/**
 * The demo's policy: the seed's, with a prod syncTimeout short enough that "Hang the next sync" shows a stuck
 * sync within a minute. Only the demo has it: the integration tests keep the seed, whose syncs never hang.
 * With `groups` (the fleet demo) the policy also gets those fleet groups.
 */
export const DEMO_SYNC_TIMEOUT = '15s';

const PROD_ANCHOR = '    githubDeployments: true\n';

export function demoPolicy(seedYaml: string, options: { groupsYaml?: string } = {}): string {
  const at = seedYaml.indexOf(PROD_ANCHOR);
  if (at === -1) throw new Error(`the seed policy has no "${PROD_ANCHOR.trim()}" line under prod`);
  const end = at + PROD_ANCHOR.length;
  const policy = `${seedYaml.slice(0, end)}    syncTimeout: ${DEMO_SYNC_TIMEOUT}\n${seedYaml.slice(end)}`;
  return options.groupsYaml ? `${policy.trimEnd()}\n${options.groupsYaml}` : policy;
}
