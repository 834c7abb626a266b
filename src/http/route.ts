import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler decided; the server turns it into the response and the metrics outcome. */
export interface RouteResult {
  status: number;
  body?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** A short label for metrics and logs: accepted, duplicate, unauthorized, invalid... */
  outcome: string;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** Name used in metrics labels. */
  name: string;
  /** Either return a RouteResult, or write the response yourself and return undefined (Slack's Bolt listener). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<RouteResult | undefined>;
}
