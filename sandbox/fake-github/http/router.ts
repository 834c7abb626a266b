import type { FakeState } from '../fake-state.js';

export interface RouteContext {
  state: FakeState;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  /** The request URL, absolute against the fake's base URL. */
  url: URL;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type RouteHandler = (context: RouteContext) => RouteResponse;

export interface Route {
  method: string;
  /** Segments; `:name` takes one segment, a final `*name` takes the rest (possibly none). */
  pattern: string;
  handler: RouteHandler;
}

export interface RouteMatch {
  handler: RouteHandler;
  params: Record<string, string>;
}

// Each segment is decoded on its own, so `heads%2Fmain` becomes `heads/main` inside one parameter, as octokit sends it.
function splitPath(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

function matchPattern(pattern: string[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    if (part.startsWith('*')) {
      params[part.slice(1)] = segments.slice(index).join('/');
      return params;
    }
    const segment = segments[index];
    if (segment === undefined) return undefined;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return pattern.length === segments.length ? params : undefined;
}

export function createRouter(
  routes: readonly Route[],
): (method: string, path: string) => RouteMatch | undefined {
  const compiled = routes.map((route) => ({
    ...route,
    parts: route.pattern.split('/').filter((part) => part !== ''),
  }));
  return (method, path) => {
    const segments = splitPath(path);
    if (!segments) return undefined;
    for (const route of compiled) {
      if (route.method !== method) continue;
      const params = matchPattern(route.parts, segments);
      if (params) return { handler: route.handler, params };
    }
    return undefined;
  };
}
