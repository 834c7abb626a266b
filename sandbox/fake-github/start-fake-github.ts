import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeState } from './fake-state.js';
import type { AppAuth } from './http/app-auth.js';
import { createRequestHandler } from './http/handle-request.js';
import { createRouter } from './http/router.js';
import { createRepoControls } from './repo/repo-controls.js';
import { allRoutes } from './routes/index.js';
import type { FakeGitHub, FakeGitHubOptions } from './types.js';
import { buildWebhookPayload } from './webhooks/build-webhook.js';
import { WebhookSender } from './webhooks/deliver-webhook.js';

/** A GitHub REST API on 127.0.0.1 (port 0 by default) with controls for tests and the demo. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const state = new FakeState(options);
  const webhooks = new WebhookSender(state, options.webhook);
  const handle = createRequestHandler(state, createRouter(allRoutes));
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://${host}:${port}`;
  if (options.webhook?.emitOnApiWrites) {
    state.onDeploymentWrite = (repo, event, deploymentId) => {
      webhooks.sendInBackground(event, () =>
        buildWebhookPayload(state, event, { repo: repo.fullName, deploymentId }),
      );
    };
  }

  return {
    url: state.baseUrl,
    get requests() {
      return state.requests;
    },
    get deliveries() {
      return state.deliveries;
    },
    repo: (fullName, repoOptions) =>
      createRepoControls(state, state.ensureRepo(fullName, repoOptions?.defaultBranch)),
    deployments: (fullName) => structuredClone(state.requireRepo(fullName).deployments),
    pulls: (fullName) => structuredClone(state.requireRepo(fullName).pulls),
    failNext: (rule) => {
      state.failures.push({ ...rule, remaining: rule.times ?? 1 });
    },
    setLatency: (ms) => {
      state.latencyMs = ms;
    },
    setDown: (down) => {
      state.down = down;
    },
    clearRequests: () => {
      state.requests.length = 0;
    },
    sendWebhook: (event, payload, sendOptions) => webhooks.send(event, payload, sendOptions?.deliveryId),
    redeliver: (deliveryId) => webhooks.redeliver(deliveryId),
    buildWebhook: (event, buildOptions) => buildWebhookPayload(state, event, buildOptions),
    drainWebhooks: () => webhooks.drain(),
    ...(state.appAuth ? { app: appControls(state.appAuth) } : {}),
    close: async () => {
      await webhooks.drain();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function appControls(auth: AppAuth): NonNullable<FakeGitHub['app']> {
  return {
    get tokens() {
      return auth.issued.map((entry) => ({ ...entry }));
    },
    setTokenLifetime: (ms) => {
      auth.tokenLifetimeMs = ms;
    },
  };
}
