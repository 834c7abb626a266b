import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, GrpcCode } from './api-error.js';
import { ContractViolation, type HandlerDeps } from './handler-context.js';
import { authenticate, isContentTypeAccepted } from './request-guards.js';
import { HANDLERS } from './router.js';
import { checkAgainstDefinition } from './schema-check.js';
import { checkQuery, matchRoute, swaggerDefinitions } from './swagger-contract.js';

export interface ApiRequest {
  method: string;
  pathname: string;
  query: Record<string, string[]>;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface ApiResponse {
  status: number;
  contentType: string;
  text: string;
  parsedBody: unknown;
  unknownRoute: boolean;
  contractViolation?: string;
}

function json(status: number, value: unknown, extra: Partial<ApiResponse> = {}): ApiResponse {
  return {
    status,
    contentType: 'application/json',
    text: JSON.stringify(value),
    parsedBody: undefined,
    unknownRoute: false,
    ...extra,
  };
}

function fromError(error: ApiError, extra: Partial<ApiResponse> = {}): ApiResponse {
  return json(error.httpStatus, error.toBody(), extra);
}

function parseBody(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new ApiError(
      GrpcCode.InvalidArgument,
      `invalid character in request body: ${(error as Error).message}`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(GrpcCode.InvalidArgument, 'json: cannot unmarshal the request body into a Go struct');
  }
  return value as Record<string, unknown>;
}

/**
 * One API request, in argocd-server's order: content-type middleware, gateway routing, query and body decoding
 * (400 before auth, as the gateway decodes before calling the gRPC method), then the session, then the service.
 * The fake adds its own refusals for what the real server would silently ignore (unknown fields and parameters).
 */
export async function handleApiRequest(
  req: ApiRequest,
  deps: HandlerDeps,
  tokens: Record<string, string>,
): Promise<ApiResponse> {
  const unknownRoute = { unknownRoute: true };
  if (!req.pathname.startsWith('/api/')) {
    const message = `fake-argocd: ${req.method} ${req.pathname} is not an Argo CD API path`;
    return fromError(new ApiError(GrpcCode.NotFound, message), unknownRoute);
  }
  if (!isContentTypeAccepted(req.method, req.headers['content-type'])) {
    return {
      status: 415,
      contentType: 'text/plain; charset=utf-8',
      text: 'Invalid content type\n',
      parsedBody: undefined,
      unknownRoute: false,
    };
  }
  const match = matchRoute(req.method, req.pathname);
  if (match.kind === 'unknown') {
    const message = `fake-argocd: ${req.method} ${req.pathname} is not an operation in Argo CD's swagger`;
    return fromError(new ApiError(GrpcCode.NotFound, message), unknownRoute);
  }
  if (match.kind === 'unserved') {
    const message = `fake-argocd does not serve ${match.route} (it is in Argo CD's swagger; add it to the fake)`;
    return fromError(new ApiError(GrpcCode.Unimplemented, message), unknownRoute);
  }
  const { operation, params } = match;
  let body: Record<string, unknown> = {};
  const violations: string[] = [];
  try {
    const queryReport = checkQuery(operation, req.query);
    if (queryReport.typeErrors.length > 0)
      throw new ApiError(GrpcCode.InvalidArgument, queryReport.typeErrors[0] ?? '');
    if (queryReport.unknown.length > 0)
      violations.push(`unknown query parameter(s): ${queryReport.unknown.join(', ')}`);
    if (operation.bodyDefinition) {
      body = parseBody(req.rawBody);
      const report = checkAgainstDefinition(body, operation.bodyDefinition, swaggerDefinitions);
      if (report.typeErrors.length > 0)
        throw new ApiError(GrpcCode.InvalidArgument, report.typeErrors[0] ?? '');
      if (report.unknownFields.length > 0) {
        violations.push(`fields not in ${operation.bodyDefinition}: ${report.unknownFields.join(', ')}`);
      }
    } else if (req.rawBody.trim() !== '') {
      violations.push(`${operation.route} takes no body`);
    }
    const username = authenticate(req.headers, tokens);
    if (violations.length > 0)
      throw new ContractViolation(`${violations.join('; ')} (the real server ignores them)`);
    const result = await HANDLERS[operation.route](deps, { params, query: req.query, body, username });
    return json(200, result, { parsedBody: result });
  } catch (error) {
    const contractViolation = error instanceof ContractViolation ? error.message : undefined;
    if (error instanceof ApiError) return fromError(error, { contractViolation });
    const message = error instanceof Error ? error.message : String(error);
    return fromError(new ApiError(GrpcCode.Internal, `fake-argocd internal error: ${message}`));
  }
}
