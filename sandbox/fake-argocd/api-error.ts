/** gRPC status codes the Argo CD API answers with (google.golang.org/grpc/codes). */
export const GrpcCode = {
  Unknown: 2,
  InvalidArgument: 3,
  NotFound: 5,
  PermissionDenied: 7,
  FailedPrecondition: 9,
  Unimplemented: 12,
  Internal: 13,
  Unauthenticated: 16,
} as const;

export type GrpcCodeValue = (typeof GrpcCode)[keyof typeof GrpcCode];

// grpc-gateway v1 runtime.HTTPStatusFromCode, restricted to the codes above.
const HTTP_STATUS: Record<GrpcCodeValue, number> = {
  2: 500,
  3: 400,
  5: 404,
  7: 403,
  9: 400,
  12: 501,
  13: 500,
  16: 401,
};

/** An error the fake answers as grpc-gateway does: `{error, code, message}` with the mapped HTTP status. */
export class ApiError extends Error {
  readonly code: GrpcCodeValue;
  readonly httpStatus: number;

  constructor(code: GrpcCodeValue, message: string, httpStatus?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.httpStatus = httpStatus ?? HTTP_STATUS[code];
  }

  toBody(): { error: string; code: number; message: string } {
    return { error: this.message, code: this.code, message: this.message };
  }
}

export function grpcCodeForStatus(status: number): number {
  const found = Object.entries(HTTP_STATUS).find(([, http]) => http === status);
  return found ? Number(found[0]) : GrpcCode.Unknown;
}

export const permissionDenied = (): ApiError => new ApiError(GrpcCode.PermissionDenied, 'permission denied');

export const appNotFound = (name: string): ApiError =>
  new ApiError(GrpcCode.NotFound, `applications.argoproj.io "${name}" not found`);
