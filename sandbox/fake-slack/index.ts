export { SERVED_METHODS } from './api-router.js';
export {
  buildBlockActionsPayload,
  buildSlashCommandBody,
  buildViewSubmissionPayload,
  encodePayloadBody,
} from './interaction-payloads.js';
export { MISSING_TEXT_WARNING } from './message-content.js';
export { POST_MESSAGE_BURST, TIER_CALLS_PER_MINUTE } from './rate-limiter.js';
export { RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS } from './response-url-store.js';
export { buildSignedHeaders, signSlackRequest } from './sign-request.js';
export { startFakeSlack } from './start-fake-slack.js';
export type * from './types.js';
export { validateMessageBlocks } from './validate-blocks.js';
export { validateView } from './validate-view.js';
