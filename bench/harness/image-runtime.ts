import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Variables of the image that change how the process runs (V8's flags, glibc's allocator). */
const RUNTIME_VARIABLE = /^(NODE_OPTIONS|MALLOC_[A-Z_]+)$/;

/**
 * The runtime settings the image gives the bot (`ENV NODE_OPTIONS=… MALLOC_…=…` in the Dockerfile's
 * runtime stage), so that the benchmark measures the process as it runs in the cluster, and a change to
 * the image is measured by the next run. The same settings go to the baselines, so ratios compare like
 * with like.
 */
export function imageRuntimeEnv(repoRoot: string): Record<string, string> {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = { NODE_OPTIONS: '' };
  // `ENV A=1 \` continuation lines joined, then every KEY=value or KEY="value" pair of each ENV.
  const joined = runtime.replace(/\\\r?\n/g, ' ');
  for (const line of joined.split(/\r?\n/)) {
    const instruction = /^\s*ENV\s+(.*)$/.exec(line);
    if (!instruction) continue;
    for (const [, key, quoted, bare] of instruction[1]!.matchAll(
      /([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|(\S*))/g,
    )) {
      if (key && RUNTIME_VARIABLE.test(key)) env[key] = quoted ?? bare ?? '';
    }
  }
  return env;
}
