import { ApiError, GrpcCode } from './api-error.js';

type Requirement = (labels: Record<string, string>) => boolean;

/**
 * The equality-based part of the Kubernetes label selector grammar (`k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-joined).
 * Set-based terms (`k in (a,b)`) are not supported by the fake and answer like an unparsable selector.
 */
export function parseLabelSelector(selector: string): (labels: Record<string, string>) => boolean {
  const requirements: Requirement[] = [];
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    const match = /^(!?)([A-Za-z0-9._/-]+)\s*(?:(==|=|!=)\s*([A-Za-z0-9._-]*))?$/.exec(term);
    if (!match) {
      // List answers `error parsing the selector: ...` as a plain error, which the gateway maps to Unknown/500.
      throw new ApiError(
        GrpcCode.Unknown,
        `error parsing the selector: unable to parse requirement: "${term}"`,
      );
    }
    const [, negate, key = '', op, value = ''] = match;
    if (negate && op) {
      throw new ApiError(
        GrpcCode.Unknown,
        `error parsing the selector: unable to parse requirement: "${term}"`,
      );
    }
    if (!op) requirements.push((labels) => key in labels !== Boolean(negate));
    else if (op === '!=') requirements.push((labels) => labels[key] !== value);
    else requirements.push((labels) => labels[key] === value);
  }
  return (labels) => requirements.every((r) => r(labels));
}
