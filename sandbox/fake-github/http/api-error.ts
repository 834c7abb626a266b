const REST_DOCS = 'https://docs.github.com/rest';

export interface ValidationErrorItem {
  resource: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  field?: string;
  message?: string;
  value?: unknown;
}

/** A GitHub API error answer: thrown by routes, turned into `{ message, documentation_url, status }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly documentationUrl = REST_DOCS,
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return {
      message: this.message,
      ...this.extra,
      documentation_url: this.documentationUrl,
      status: String(this.status),
    };
  }
}

export function notFound(): ApiError {
  return new ApiError(404, 'Not Found');
}

export function validationFailed(errors: ValidationErrorItem[]): ApiError {
  return new ApiError(422, 'Validation Failed', { errors });
}

/** What GitHub answers when a body field is missing or has the wrong type (its JSON-schema check). */
export function invalidRequest(detail: string): ApiError {
  return new ApiError(422, `Invalid request.\n\n${detail}`);
}

export function unprocessable(message: string): ApiError {
  return new ApiError(422, message);
}
