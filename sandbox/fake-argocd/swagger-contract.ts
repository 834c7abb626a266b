import { readFileSync } from 'node:fs';
import { SERVED_ROUTES, type ServedRoute } from '../contracts/argocd/served-routes.js';
import type { Definitions } from './schema-check.js';

interface ExtractParameter {
  name: string;
  in: 'path' | 'query' | 'body';
  type?: string;
  format?: string;
  collectionFormat?: string;
  schema?: { $ref: string };
}

interface ExtractOperation {
  operationId: string;
  parameters: ExtractParameter[];
}

interface SwaggerExtract {
  paths: Record<string, Record<string, ExtractOperation>>;
  definitions: Definitions;
  'x-deploybot': { greedyPathParams: Record<string, string>; otherRoutes: string[] };
}

interface CompiledRoute {
  key: string;
  method: string;
  segments: string[];
  greedy?: string;
  literalCount: number;
}

export interface ServedOperation {
  route: ServedRoute;
  operationId: string;
  query: Map<string, ExtractParameter>;
  bodyDefinition?: string;
}

export type RouteMatch =
  | { kind: 'served'; operation: ServedOperation; params: Record<string, string> }
  | { kind: 'unserved'; route: string }
  | { kind: 'unknown' };

const extract = JSON.parse(
  readFileSync(new URL('../contracts/argocd/swagger.extract.json', import.meta.url), 'utf8'),
) as SwaggerExtract;

export const swaggerDefinitions: Definitions = extract.definitions;

function compile(key: string): CompiledRoute {
  const [method = '', path = ''] = key.split(' ');
  const segments = path.split('/').filter(Boolean);
  return {
    key,
    method,
    segments,
    greedy: extract['x-deploybot'].greedyPathParams[path],
    literalCount: segments.filter((s) => !s.startsWith('{')).length,
  };
}

const servedOperations = new Map<string, ServedOperation>();
for (const route of SERVED_ROUTES) {
  const [method = '', path = ''] = route.split(' ');
  const operation = extract.paths[path]?.[method.toLowerCase()];
  // A handler for a route that is not in the swagger must never start: that is the mistake the fake exists to catch.
  if (!operation) throw new Error(`fake-argocd serves ${route}, which is not in the swagger extract`);
  const body = operation.parameters.find((p) => p.in === 'body');
  servedOperations.set(route, {
    route,
    operationId: operation.operationId,
    query: new Map(operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p])),
    bodyDefinition: body?.schema?.$ref.replace('#/definitions/', ''),
  });
}

// Most specific first, so `/applications/{name}/revisions/{r}/metadata` never loses to a looser template.
const compiled = [...SERVED_ROUTES, ...extract['x-deploybot'].otherRoutes]
  .map(compile)
  .sort((a, b) => b.literalCount - a.literalCount);

function matchSegments(route: CompiledRoute, segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const template = route.segments[i] as string;
    const actual = segments[i];
    if (actual === undefined || actual === '') return undefined;
    if (!template.startsWith('{')) {
      if (template !== actual) return undefined;
      continue;
    }
    const name = template.slice(1, -1);
    if (name === route.greedy && i === route.segments.length - 1) {
      params[name] = segments.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    params[name] = decodeURIComponent(actual);
  }
  return segments.length === route.segments.length ? params : undefined;
}

export function matchRoute(method: string, pathname: string): RouteMatch {
  const segments = pathname.split('/').slice(1);
  for (const route of compiled) {
    if (route.method !== method) continue;
    const params = matchSegments(route, segments);
    if (!params) continue;
    const operation = servedOperations.get(route.key);
    return operation ? { kind: 'served', operation, params } : { kind: 'unserved', route: route.key };
  }
  return { kind: 'unknown' };
}

export interface QueryReport {
  unknown: string[];
  typeErrors: string[];
}

/** Query names not in the swagger (the real gateway drops them) and values it could not parse (it answers 400). */
export function checkQuery(operation: ServedOperation, query: Record<string, string[]>): QueryReport {
  const report: QueryReport = { unknown: [], typeErrors: [] };
  for (const [name, values] of Object.entries(query)) {
    const parameter = operation.query.get(name);
    if (!parameter) {
      report.unknown.push(name);
      continue;
    }
    const repeated = parameter.type === 'array';
    if (!repeated && values.length > 1) report.typeErrors.push(`too many values for field "${name}"`);
    const itemType = repeated ? 'string' : parameter.type;
    for (const value of values) {
      if (itemType === 'boolean' && value !== 'true' && value !== 'false') {
        report.typeErrors.push(`${name}: strconv.ParseBool: parsing "${value}": invalid syntax`);
      }
      if (itemType === 'integer' && !/^-?\d+$/.test(value)) {
        report.typeErrors.push(`${name}: strconv.ParseInt: parsing "${value}": invalid syntax`);
      }
    }
  }
  return report;
}
