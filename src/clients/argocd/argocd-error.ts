/** An Argo CD API failure with the gRPC code and message the server sent (never classified by text). */
export class ArgoCdError extends Error {
  readonly code:
    | 'argocd_api_error'
    | 'argocd_unreachable'
    | 'argocd_timeout'
    | 'argocd_bad_response'
    /** The app names an instance this deploybot is not configured for: nothing was sent anywhere. */
    | 'argocd_unknown_instance';
  constructor(
    code: ArgoCdError['code'],
    message: string,
    readonly httpStatus?: number,
    readonly grpcCode?: number,
    options?: { cause?: unknown; requestSent?: boolean; instance?: string },
  ) {
    super(message, { cause: options?.cause });
    this.code = code;
    this.requestSent = options?.requestSent;
    this.instance = options?.instance;
  }

  /**
   * The Argo CD instance that answered (or failed to), set by its client: what Slack users are told to
   * fix names that instance's variables. Undefined for an error made outside a client.
   */
  readonly instance?: string;

  /** False when the request certainly never left (no connection could be made); undefined when unknown. */
  readonly requestSent?: boolean;

  /** The request may or may not have reached Argo CD: re-read before deciding anything. */
  get ambiguous(): boolean {
    if (this.requestSent === false) return false;
    return this.code !== 'argocd_api_error' || (this.httpStatus ?? 0) >= 500;
  }

  get retryable(): boolean {
    if (this.code === 'argocd_unknown_instance') return false;
    return this.code !== 'argocd_api_error' || (this.httpStatus ?? 0) >= 500 || this.httpStatus === 429;
  }
}

export const GRPC = {
  invalidArgument: 3,
  notFound: 5,
  permissionDenied: 7,
  failedPrecondition: 9,
  unauthenticated: 16,
} as const;

/** Asked about an instance this deploybot has no client for: refused before anything is sent. */
export function unknownInstance(instance: string): ArgoCdError {
  return new ArgoCdError(
    'argocd_unknown_instance',
    `deploybot has no Argo CD instance "${instance}"`,
    undefined,
    undefined,
    { requestSent: false, instance },
  );
}
