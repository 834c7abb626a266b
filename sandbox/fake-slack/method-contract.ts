import { readFileSync } from 'node:fs';
import type { ExtractedMethods } from '../contracts/slack/extract-methods.js';
import type { JsonObject } from './types.js';

const contract = JSON.parse(
  readFileSync(new URL('../contracts/slack/web-api-methods.json', import.meta.url), 'utf8'),
) as ExtractedMethods;

/** Bolt's listener client adds `team_id` to every call; the 2020 spec does not list it. */
const ALWAYS_ALLOWED = new Set(['team_id', 'token']);

export function isSpecMethod(method: string): boolean {
  return Object.hasOwn(contract, method);
}

/** Problems in Slack's `response_metadata.messages` wording; empty when the arguments fit the spec. */
export function checkArgumentsAgainstSpec(method: string, args: JsonObject): string[] {
  const spec = contract[method];
  if (!spec) return [`unknown method: ${method}`];
  const known = new Set(spec.arguments.map((a) => a.name));
  const problems: string[] = [];
  for (const name of Object.keys(args)) {
    if (!known.has(name) && !ALWAYS_ALLOWED.has(name)) problems.push(`unknown argument: ${name}`);
  }
  for (const arg of spec.arguments) {
    if (arg.required && arg.name !== 'token' && (args[arg.name] === undefined || args[arg.name] === '')) {
      problems.push(`missing required field: ${arg.name}`);
    }
  }
  return problems;
}
