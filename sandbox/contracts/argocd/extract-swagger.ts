/**
 * Regenerates swagger.extract.json from Argo CD's assets/swagger.json:
 *   npx tsx sandbox/contracts/argocd/extract-swagger.ts <path/to/swagger.json> [out.json]
 *   npx biome check --write sandbox/contracts/argocd/swagger.extract.json
 * The full swagger is not shipped with the project (see SOURCE.md), so this runs by hand, never in tests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GREEDY_PATH_PARAMS, SERVED_ROUTES } from './served-routes.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Swagger {
  swagger: string;
  info: JsonObject;
  consumes: Json;
  produces: Json;
  paths: Record<string, Record<string, JsonObject>>;
  definitions: Record<string, JsonObject>;
}

const SCHEMA_KEYS = [
  '$ref',
  'type',
  'format',
  'items',
  'properties',
  'additionalProperties',
  'enum',
] as const;
const PARAMETER_KEYS = [
  'name',
  'in',
  'required',
  'type',
  'format',
  'items',
  'collectionFormat',
  'schema',
] as const;

/**
 * Where the swagger disagrees with the Go types that encoding/json actually reads and writes. Each patch is applied
 * to the extract and listed in it, so nobody mistakes it for upstream text.
 */
const PATCHES: ReadonlyArray<{ note: string; apply: (definitions: Record<string, JsonObject>) => void }> = [
  {
    note: 'v1alpha1SyncStrategyHook: Go embeds SyncStrategyApply inline, so `force` sits directly under `hook` (the swagger shows hook.syncStrategyApply.force)',
    apply: (definitions) => {
      definitions.v1alpha1SyncStrategyHook = { type: 'object', properties: { force: { type: 'boolean' } } };
    },
  },
  {
    note: 'v1alpha1ResourceNode: Go embeds ResourceRef inline, so group/version/kind/namespace/name/uid are node fields (the swagger omits them)',
    apply: (definitions) => {
      const node = definitions.v1alpha1ResourceNode;
      const ref = definitions.v1alpha1ResourceRef;
      if (!node || !ref) throw new Error('the swagger lacks v1alpha1ResourceNode or v1alpha1ResourceRef');
      node.properties = { ...(ref.properties as JsonObject), ...(node.properties as JsonObject) };
    },
  },
];

function pick(
  value: JsonObject,
  keys: readonly string[],
  mapValue: (key: string, v: Json) => Json,
): JsonObject {
  const out: JsonObject = {};
  for (const key of keys) {
    const v = value[key];
    if (v !== undefined) out[key] = mapValue(key, v);
  }
  return out;
}

function trimSchema(schema: Json): Json {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  return pick(schema, SCHEMA_KEYS, (key, v) => {
    if (key === 'items' || key === 'additionalProperties') return trimSchema(v);
    if (key === 'properties' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).map(([name, prop]) => [name, trimSchema(prop)]));
    }
    return v;
  });
}

function collectRefs(node: Json, into: Set<string>, definitions: Record<string, JsonObject>): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into, definitions);
    return;
  }
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/definitions/', '');
    if (!into.has(name)) {
      const definition = definitions[name];
      if (!definition) throw new Error(`dangling $ref ${ref}`);
      into.add(name);
      collectRefs(definition, into, definitions);
    }
  }
  for (const value of Object.values(node)) collectRefs(value, into, definitions);
}

function splitRoute(route: string): { method: string; path: string } {
  const [method, path] = route.split(' ');
  if (!method || !path) throw new Error(`bad route ${route}`);
  return { method: method.toLowerCase(), path };
}

export function extractSwagger(spec: Swagger): JsonObject {
  const definitions: Record<string, JsonObject> = structuredClone(spec.definitions);
  for (const patch of PATCHES) patch.apply(definitions);

  const paths: Record<string, Record<string, JsonObject>> = {};
  const used = new Set<string>(['runtimeError']);
  collectRefs({ $ref: '#/definitions/runtimeError' }, used, definitions);
  for (const route of SERVED_ROUTES) {
    const { method, path } = splitRoute(route);
    const operation = spec.paths[path]?.[method];
    if (!operation) throw new Error(`the swagger has no ${route}`);
    const parameters = ((operation.parameters as JsonObject[] | undefined) ?? []).map((p) =>
      pick(p, PARAMETER_KEYS, (_key, v) => v),
    );
    const ok = (operation.responses as JsonObject)['200'] as JsonObject;
    const trimmed: JsonObject = {
      operationId: operation.operationId ?? null,
      parameters,
      responses: { '200': { description: 'A successful response.', schema: ok.schema ?? null } },
    };
    collectRefs(trimmed, used, definitions);
    paths[path] = { ...paths[path], [method]: trimmed };
  }

  const otherRoutes: string[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const method of Object.keys(operations)) {
      const route = `${method.toUpperCase()} ${path}`;
      if (!(SERVED_ROUTES as readonly string[]).includes(route)) otherRoutes.push(route);
    }
  }

  return {
    swagger: spec.swagger,
    info: spec.info,
    consumes: spec.consumes,
    produces: spec.produces,
    paths,
    definitions: Object.fromEntries(
      [...used].sort().map((name) => [name, trimSchema(definitions[name] as JsonObject)]),
    ),
    'x-deploybot': {
      source: 'argoproj/argo-cd assets/swagger.json at 37ee0097cf851bc2dd7665fc081bbce61a7e836e',
      greedyPathParams: { ...GREEDY_PATH_PARAMS },
      patches: PATCHES.map((p) => p.note),
      otherRoutes: otherRoutes.sort(),
    },
  };
}

function runCli(argv: string[]): void {
  const [specPath, outArg] = argv;
  if (!specPath) {
    process.stderr.write('usage: extract-swagger.ts <argo-cd/assets/swagger.json> [out.json]\n');
    process.exit(2);
  }
  const outPath = outArg ?? fileURLToPath(new URL('./swagger.extract.json', import.meta.url));
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Swagger;
  writeFileSync(outPath, `${JSON.stringify(extractSwagger(spec), null, 2)}\n`);
  process.stdout.write(`wrote ${outPath}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2));
}
