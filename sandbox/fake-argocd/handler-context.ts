import { ApiError, GrpcCode } from './api-error.js';
import type { CanI } from './app-access.js';
import type { AppWorld } from './app-world.js';
import type { OperationRunner } from './operation-runner.js';
import type { RolloutController } from './rollouts.js';
import type { RevisionMetadataSource } from './types.js';

export interface HandlerDeps {
  world: AppWorld;
  runner: OperationRunner;
  /** Argo Rollouts of the apps seeded with some; absent in handler tests that build deps by hand. */
  rollouts?: RolloutController;
  canI: CanI;
  revisionMetadata: RevisionMetadataSource;
  /** `iat` of the session, for permission-denied texts. */
  issuedAt: string;
}

export interface RequestContext {
  params: Record<string, string>;
  query: Record<string, string[]>;
  body: Record<string, unknown>;
  username: string;
}

export type Handler = (deps: HandlerDeps, ctx: RequestContext) => unknown | Promise<unknown>;

/** A request the real server would accept or ignore but that the bot must never send; the fake refuses it loudly. */
export class ContractViolation extends ApiError {
  constructor(message: string) {
    super(GrpcCode.InvalidArgument, `fake-argocd contract violation: ${message}`);
  }
}

export function firstValue(query: Record<string, string[]>, name: string): string | undefined {
  return query[name]?.[0];
}

export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
