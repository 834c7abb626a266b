import { createRequire } from 'node:module';
import type { WebhookPayload } from '../types.js';

interface ExampleGroup {
  name: string;
  actions: string[];
  examples: WebhookPayload[];
}

let examples: readonly ExampleGroup[] | undefined;

/** @octokit/webhooks-examples (api.github.com), loaded once on first use: the file is 4 MB. */
function loadExamples(): readonly ExampleGroup[] {
  examples ??= createRequire(import.meta.url)('@octokit/webhooks-examples') as ExampleGroup[];
  return examples;
}

/** A deep copy of the first real example of an event that satisfies `accept`. */
export function pickExample(event: string, accept: (example: WebhookPayload) => boolean): WebhookPayload {
  const group = loadExamples().find((candidate) => candidate.name === event);
  const found = group?.examples.find(accept);
  if (!found) {
    const actions = group
      ? [...new Set(group.examples.map((example) => String(example.action)))].join(', ')
      : 'none';
    throw new Error(`@octokit/webhooks-examples has no matching ${event} example (actions: ${actions})`);
  }
  return structuredClone(found);
}
