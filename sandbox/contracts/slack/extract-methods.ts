/**
 * Regenerates web-api-methods.json from Slack's OpenAPI 2.0 spec:
 *   npx tsx sandbox/contracts/slack/extract-methods.ts <path/to/slack_web_openapi_v2.json> [out.json]
 * The spec is not shipped with the project (see SOURCE.md), so this runs by hand, never in tests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const EXTRACTED_METHODS = [
  'auth.test',
  'chat.getPermalink',
  'chat.postEphemeral',
  'chat.postMessage',
  'chat.update',
  'conversations.open',
  'conversations.replies',
  'reactions.add',
  'usergroups.users.list',
  'users.info',
  'users.lookupByEmail',
  'views.open',
  'views.publish',
  'views.update',
] as const;

/**
 * Arguments Slack added after the 2020 spec, each with where Slack documents it. Message metadata:
 * docs.slack.dev/messaging/message-metadata (`metadata` on chat.postMessage and chat.update, a JSON
 * object `{ event_type, event_payload }`).
 */
export const LATER_ARGUMENTS: Record<string, ExtractedArgument[]> = {
  'chat.postMessage': [{ name: 'metadata', required: false, in: 'formData' }],
  'chat.update': [{ name: 'metadata', required: false, in: 'formData' }],
};

export interface ExtractedArgument {
  name: string;
  required: boolean;
  in: string;
}

export interface ExtractedMethod {
  verb: string;
  arguments: ExtractedArgument[];
}

export type ExtractedMethods = Record<string, ExtractedMethod>;

interface SpecParameter {
  name?: unknown;
  required?: unknown;
  in?: unknown;
}

function readOperation(spec: unknown, method: string): { verb: string; parameters: SpecParameter[] } {
  const paths = (spec as { paths?: Record<string, Record<string, { parameters?: SpecParameter[] }>> }).paths;
  const path = paths?.[`/${method}`];
  if (!path) throw new Error(`the spec has no path /${method}`);
  const verbs = Object.keys(path);
  const verb = verbs[0];
  if (verbs.length !== 1 || verb === undefined) {
    throw new Error(`/${method} has ${verbs.length} operations; expected exactly one`);
  }
  return { verb, parameters: path[verb]?.parameters ?? [] };
}

export function extractMethods(
  spec: unknown,
  methods: readonly string[] = EXTRACTED_METHODS,
): ExtractedMethods {
  const out: ExtractedMethods = {};
  for (const method of [...methods].sort()) {
    const { verb, parameters } = readOperation(spec, method);
    out[method] = {
      verb,
      arguments: parameters
        .map((p) => {
          if (typeof p.name !== 'string' || typeof p.in !== 'string') {
            throw new Error(`/${method} has a parameter without a name or location`);
          }
          return { name: p.name, required: p.required === true, in: p.in };
        })
        .concat(LATER_ARGUMENTS[method] ?? [])
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }
  return out;
}

function runCli(argv: string[]): void {
  const [specPath, outArg] = argv;
  if (!specPath) {
    process.stderr.write('usage: extract-methods.ts <slack_web_openapi_v2.json> [out.json]\n');
    process.exit(2);
  }
  const outPath = outArg ?? fileURLToPath(new URL('./web-api-methods.json', import.meta.url));
  const spec: unknown = JSON.parse(readFileSync(specPath, 'utf8'));
  writeFileSync(outPath, `${JSON.stringify(extractMethods(spec), null, 2)}\n`);
  process.stdout.write(`wrote ${outPath}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2));
}
