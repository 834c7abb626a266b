import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './k8s-files.js';

const require = createRequire(import.meta.url);
const config = require(join(repoRoot, '.dependency-cruiser.cjs')) as IConfiguration;
const fixture = join(repoRoot, 'test/fixtures/layering');

async function violationsIn(dir: string): Promise<string[]> {
  const result = await cruise(['src'], {
    baseDir: dir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
    doNotFollow: { path: 'node_modules' },
  });
  if (typeof result.output === 'string') throw new Error('expected the JSON result');
  return result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('layering rules (.dependency-cruiser.cjs, run by npm run check)', () => {
  it('refuses each deliberate wrong import of the fixture tree, and only those', async () => {
    expect(await violationsIn(fixture)).toEqual([
      'domain-not-render: src/domain/wrong.ts → src/render/card.ts',
      'no-app-from-below: src/workers/worker.ts → src/app/context.ts',
      'no-cycles: src/domain/cycle-a.ts → src/domain/cycle-b.ts',
      'pure-imports-no-io: src/domain/wrong.ts → src/http/server.ts',
    ]);
  });

  it('holds for the project, apart from the imports listed as known violations', () => {
    // The same command as `npm run check`; it exits non-zero on any violation not in the baseline.
    const out = execFileSync(
      'npx',
      ['depcruise', 'src', '--config', '.dependency-cruiser.cjs', '--ignore-known', '--output-type', 'err'],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(out).toMatch(/no dependency violations found/);
  });
});
