/** An Argo CD API failure with the gRPC code and message the server sent (never classified by text). */
export class ArgoCdError extends Error {
    httpStatus;
    grpcCode;
    code;
    constructor(code, message, httpStatus, grpcCode, options) {
        super(message, options);
        this.httpStatus = httpStatus;
        this.grpcCode = grpcCode;
        this.code = code;
    }
    /** The request may or may not have reached Argo CD: re-read before deciding anything. */
    get ambiguous() {
        return this.code !== 'argocd_api_error' || (this.httpStatus ?? 0) >= 500;
    }
    get retryable() {
        return this.code !== 'argocd_api_error' || (this.httpStatus ?? 0) >= 500 || this.httpStatus === 429;
    }
}
export const GRPC = {
    invalidArgument: 3,
    notFound: 5,
    permissionDenied: 7,
    failedPrecondition: 9,
    unauthenticated: 16,
};
