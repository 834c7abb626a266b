export { WEB_FLOW } from './fake-state.js';
export { startFakeGitHub } from './start-fake-github.js';
export type * from './types.js';
export { signGitHubPayload } from './webhooks/sign-payload.js';
