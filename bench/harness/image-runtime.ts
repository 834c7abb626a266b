import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The runtime settings the image gives the bot (`ENV NODE_OPTIONS=…` in the Dockerfile's runtime stage),
 * so that the benchmark measures the process as it runs in the cluster, and a change to the image is
 * measured by the next run. The same settings go to the baselines, so ratios compare like with like.
 */
export function imageNodeOptions(repoRoot: string): string {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  return /NODE_OPTIONS="([^"]*)"/.exec(runtime)?.[1] ?? '';
}
