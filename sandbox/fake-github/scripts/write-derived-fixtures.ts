/**
 * Regenerates test/fixtures/github/{pull_request.closed.merged,push.ordinary}.json from the derivations
 * in webhooks/derive-examples.ts. Run: npx tsx sandbox/fake-github/scripts/write-derived-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deriveMergedPullRequestClosed, deriveOrdinaryPush } from '../webhooks/derive-examples.js';

const fixtures = new URL('../../../test/fixtures/github/', import.meta.url);

for (const [name, payload] of [
  ['pull_request.closed.merged.json', deriveMergedPullRequestClosed()],
  ['push.ordinary.json', deriveOrdinaryPush()],
] as const) {
  const path = fileURLToPath(new URL(name, fixtures));
  writeFileSync(path, `${JSON.stringify(payload, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
