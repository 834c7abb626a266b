/**
 * The sandbox policy with the periodic reconcile pass moved out of the measurements: a pass over the
 * bench's hundreds of apps every 60 s would land in some measured windows and not others. The pass at
 * start-up still runs. The interval is the only change.
 */
export function benchPolicy(policyYaml: string): string {
  const line = 'reconcileInterval: 10m';
  return /^reconcileInterval:.*$/m.test(policyYaml)
    ? policyYaml.replace(/^reconcileInterval:.*$/m, line)
    : `${policyYaml.trimEnd()}\n${line}\n`;
}

/** The fleet phase's group: 200 apps `fleet-<wave>-NNNN-prod`, the canary wave first, then the rest. */
export const FLEET_BENCH_GROUP = {
  name: 'bench-fleet',
  match: 'fleet-*-prod',
  waves: ['fleet-canary-*', '*'],
} as const;

/**
 * The bench policy with the fleet phase's group (INTERFACE.md "Fleet cards"). Only the fleet phase's own
 * bot reads it: a bot that does not know `groups` refuses it, and the other phases must still run.
 */
export function fleetBenchPolicy(policyYaml: string): string {
  const { name, match, waves } = FLEET_BENCH_GROUP;
  return `${benchPolicy(policyYaml).trimEnd()}
groups:
  - name: ${name}
    match: "${match}"
    environment: prod
    waves: [${waves.map((w) => `"${w}"`).join(', ')}]
`;
}
