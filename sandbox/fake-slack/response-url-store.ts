import { createUrlSecret } from './ids.js';
import type { ResponseUrlInput } from './types.js';

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

export interface ResponseUrlContext extends ResponseUrlInput {
  id: string;
  createdAt: number;
  uses: number;
  /** A slash command's response_url has no original; replace_original then targets its own last ephemeral. */
  lastEphemeralTs?: string;
}

export class ResponseUrlStore {
  private readonly contexts = new Map<string, ResponseUrlContext>();

  constructor(private readonly now: () => number) {}

  create(input: ResponseUrlInput): ResponseUrlContext {
    const context: ResponseUrlContext = { ...input, id: createUrlSecret(), createdAt: this.now(), uses: 0 };
    this.contexts.set(context.id, context);
    return context;
  }

  get(id: string): ResponseUrlContext | undefined {
    return this.contexts.get(id);
  }

  /** Slack allows 5 uses within 30 minutes; the error names which limit was hit. */
  usability(context: ResponseUrlContext): 'ok' | 'expired_url' | 'used_url' {
    if (this.now() - context.createdAt > RESPONSE_URL_TTL_MS) return 'expired_url';
    if (context.uses >= RESPONSE_URL_MAX_USES) return 'used_url';
    return 'ok';
  }

  reset(): void {
    this.contexts.clear();
  }
}
