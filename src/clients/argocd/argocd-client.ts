import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { z } from 'zod';
import { type AppRef, DEFAULT_INSTANCE } from '../../domain/card.js';
import {
  type Application,
  applicationListSchema,
  applicationSchema,
  type ManagedResources,
  managedResourcesSchema,
  type RevisionMetadata,
  revisionMetadataSchema,
  type SyncWindows,
  syncWindowsSchema,
} from './application-schema.js';
import { ArgoCdError, unknownInstance } from './argocd-error.js';
import {
  type ResourceTree,
  type RolloutManifest,
  resourceResponseSchema,
  resourceTreeSchema,
  rolloutManifestSchema,
} from './rollout-schema.js';

/** One resource of an app, as its resource tree names it (Argo CD finds it by these, not by uid). */
export interface ResourceRef {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
}

interface SyncOptions {
  revision: string;
  infos?: { name: string; value: string }[];
  prune?: boolean;
}

/**
 * The Argo CD port: what deploybot asks of the API server. Apps are named by their AppRef, whose
 * `instance` says which Argo CD answers: one client talks to one instance, and `routeByInstance`
 * (instance-router.ts) puts one per instance behind this same port.
 */
export interface ArgoCdClient {
  getApplication(app: AppRef): Promise<Application>;
  /** The applications of one instance (a list has no AppRef to say which). */
  listApplications(instance: string): Promise<Application[]>;
  revisionMetadata(app: AppRef, revision: string): Promise<RevisionMetadata>;
  managedResources(app: AppRef): Promise<ManagedResources>;
  syncWindows(app: AppRef): Promise<SyncWindows>;
  sync(app: AppRef, options: SyncOptions): Promise<Application>;
  rollback(app: AppRef, historyId: number): Promise<Application>;
  terminateOperation(app: AppRef): Promise<void>;
  resourceTree(app: AppRef): Promise<ResourceTree>;
  /** The live Rollout `ref` names (GET …/resource), parsed; argocd_bad_response when it is no Rollout. */
  getRollout(app: AppRef, ref: ResourceRef): Promise<RolloutManifest>;
  /** Runs one resource action (POST …/resource/actions/v2): not retried, it is not idempotent. */
  runResourceAction(app: AppRef, ref: ResourceRef, action: string): Promise<void>;
}

export interface ArgoCdClientOptions {
  /** The instance this client talks to (`default` with one instance); a list asked of another is refused. */
  instance?: string;
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  /** Read retries (GET only): attempts after the first, with exponential backoff and jitter. */
  readRetries?: number;
  retryBaseMs?: number;
  /** Told once a minute at most when Argo CD rejects the token: the one failure only an operator can fix. */
  onUnauthenticated?: (message: string) => void;
}

const UNAUTHENTICATED_REPORT_MS = 60_000;

// Failures to open the connection at all: the request never left, so it cannot have landed either.
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const scope = (app: AppRef) => ({ appNamespace: app.namespace, project: app.project });

export function createArgoCdClient({
  instance: ownInstance = DEFAULT_INSTANCE,
  baseUrl,
  token,
  timeoutMs = 10_000,
  readRetries = 3,
  retryBaseMs = 200,
  onUnauthenticated,
}: ArgoCdClientOptions): ArgoCdClient {
  let lastUnauthenticatedReport = 0;
  const http: AxiosInstance = axios.create({
    baseURL: baseUrl.replace(/\/+$/, ''),
    timeout: timeoutMs,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    // Argo's gRPC gateway wants repeated params as ?projects=a&projects=b.
    paramsSerializer: { indexes: null },
    validateStatus: () => true,
  });

  /** Every error of this client names its instance (the variable to renew, in what users read). */
  const fail = (
    code: ArgoCdError['code'],
    message: string,
    httpStatus?: number,
    grpcCode?: number,
    options: { cause?: unknown; requestSent?: boolean } = {},
  ) => new ArgoCdError(code, message, httpStatus, grpcCode, { ...options, instance: ownInstance });

  function toError(error: unknown): ArgoCdError {
    if (isAxiosError(error)) {
      if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT')
        return fail('argocd_timeout', `Argo CD did not answer within ${timeoutMs} ms`, undefined, undefined, {
          cause: error,
        });
      return fail(
        'argocd_unreachable',
        `Argo CD is unreachable (${error.code ?? 'network error'})`,
        undefined,
        undefined,
        { cause: error, requestSent: error.code && NOT_SENT_CODES.has(error.code) ? false : undefined },
      );
    }
    return fail('argocd_unreachable', 'Argo CD request failed', undefined, undefined, {
      cause: error,
    });
  }

  async function request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    schema: S,
    { params, data }: { params?: Record<string, unknown>; data?: unknown } = {},
  ): Promise<z.output<S>> {
    const attempts = method === 'GET' ? readRetries + 1 : 1;
    let last: ArgoCdError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        const backoff = retryBaseMs * 2 ** (attempt - 1);
        await new Promise((r) => setTimeout(r, backoff / 2 + Math.random() * backoff));
      }
      try {
        const response = await http.request({
          method,
          url,
          params,
          // Argo compares the whole header, DELETE included: "application/json; charset=utf-8" is refused with 415.
          // A DELETE carries its scope in the query and no body.
          ...(method === 'GET' ? {} : { headers: { 'Content-Type': 'application/json' } }),
          ...(method === 'POST' ? { data: JSON.stringify(data ?? {}) } : {}),
          transformRequest: [(body) => body],
        });
        if (response.status >= 200 && response.status < 300) {
          const parsed = schema.safeParse(response.data);
          if (!parsed.success)
            throw fail(
              'argocd_bad_response',
              `Argo CD answered ${url} with an unexpected shape: ${parsed.error.issues[0]?.message}`,
            );
          return parsed.data;
        }
        const body = response.data as { message?: string; error?: string; code?: number } | string;
        const message =
          typeof body === 'string'
            ? body.trim()
            : (body?.message ?? body?.error ?? `HTTP ${response.status}`);
        last = fail(
          'argocd_api_error',
          message,
          response.status,
          typeof body === 'object' ? body?.code : undefined,
        );
        if (
          response.status === 401 &&
          onUnauthenticated &&
          Date.now() - lastUnauthenticatedReport > UNAUTHENTICATED_REPORT_MS
        ) {
          lastUnauthenticatedReport = Date.now();
          onUnauthenticated(message);
        }
        if (!last.retryable) throw last;
      } catch (error) {
        if (error instanceof ArgoCdError) {
          if (!error.retryable || error.code === 'argocd_bad_response') throw error;
          last = error;
        } else last = toError(error);
      }
    }
    throw last ?? fail('argocd_unreachable', 'Argo CD request failed');
  }

  const appPath = (name: string) => `/api/v1/applications/${encodeURIComponent(name)}`;
  return {
    getApplication: (app) => request('GET', appPath(app.name), applicationSchema, { params: scope(app) }),
    listApplications: async (instance) => {
      if (instance !== ownInstance) throw unknownInstance(instance);
      return (await request('GET', '/api/v1/applications', applicationListSchema)).items ?? [];
    },
    revisionMetadata: (app, revision) =>
      request(
        'GET',
        `${appPath(app.name)}/revisions/${encodeURIComponent(revision)}/metadata`,
        revisionMetadataSchema,
        {
          params: scope(app),
        },
      ),
    managedResources: (app) =>
      request('GET', `${appPath(app.name)}/managed-resources`, managedResourcesSchema, {
        params: scope(app),
      }),
    syncWindows: (app) =>
      request('GET', `${appPath(app.name)}/syncwindows`, syncWindowsSchema, { params: scope(app) }),
    sync: (app, { revision, infos, prune = false }) =>
      request('POST', `${appPath(app.name)}/sync`, applicationSchema, {
        data: { name: app.name, ...scope(app), revision, prune, infos },
      }),
    rollback: (app, historyId) =>
      request('POST', `${appPath(app.name)}/rollback`, applicationSchema, {
        data: { name: app.name, ...scope(app), id: historyId, prune: false, dryRun: false },
      }),
    terminateOperation: async (app) => {
      await request('DELETE', `${appPath(app.name)}/operation`, z.object({}), { params: scope(app) });
    },
    resourceTree: (app) =>
      request('GET', `${appPath(app.name)}/resource-tree`, resourceTreeSchema, { params: scope(app) }),
    getRollout: async (app, ref) => {
      const { manifest } = await request('GET', `${appPath(app.name)}/resource`, resourceResponseSchema, {
        params: { ...resourceQuery(ref), ...scope(app) },
      });
      return parseRollout(manifest);
    },
    runResourceAction: async (app, ref, action) => {
      await request('POST', `${appPath(app.name)}/resource/actions/v2`, z.object({}).passthrough(), {
        data: {
          name: app.name,
          namespace: ref.namespace,
          resourceName: ref.name,
          group: ref.group,
          kind: ref.kind,
          version: ref.version,
          ...scope(app),
          action,
        },
      });
    },
  };
}

const resourceQuery = (ref: ResourceRef) => ({
  namespace: ref.namespace,
  resourceName: ref.name,
  version: ref.version,
  group: ref.group,
  kind: ref.kind,
});

/** Argo CD sends the live object as a JSON string inside the answer. */
function parseRollout(manifest: string | null | undefined): RolloutManifest {
  let value: unknown;
  try {
    value = JSON.parse(manifest ?? '');
  } catch {
    throw new ArgoCdError('argocd_bad_response', 'Argo CD answered the Rollout read without a JSON manifest');
  }
  const parsed = rolloutManifestSchema.safeParse(value);
  if (!parsed.success)
    throw new ArgoCdError(
      'argocd_bad_response',
      `the live resource is not a Rollout deploybot can read: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}
