import type { RecordedRequest } from '../../../../sandbox/fake-argocd/index.js';
import { PEOPLE } from '../../../../sandbox/world/seed.js';
import type { World } from '../../../../sandbox/world/start-world.js';
import { APP_PATH, PROD_CHANNEL, SYNC_PATH } from './cards.js';

/** Alice (an approver) presses Approve & Sync on the card. */
export const approveAsAlice = (world: World, ts: string) =>
  world.slack.clickButton({
    user: PEOPLE.alice.id,
    channel: PROD_CHANNEL,
    ts,
    actionId: 'deploy_approve_sync',
  });

/** Every sync request of the prod app that reached Argo CD (faulted ones included). */
export const syncPosts = (world: World): RecordedRequest[] =>
  world.argocd.requests.filter((r) => r.method === 'POST' && r.path === SYNC_PATH);

/** Reads of the prod app among the given requests. */
export const appReads = (requests: readonly RecordedRequest[]): RecordedRequest[] =>
  requests.filter((r) => r.method === 'GET' && r.path === APP_PATH);

export const requestTime = (r: RecordedRequest): number => Date.parse(r.at);
