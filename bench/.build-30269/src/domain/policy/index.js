export { decide } from './decide.js';
export { DENY_RULES } from './deny-rules.js';
export { describeApprovers } from './describe-approvers.js';
export { findAuthorship } from './find-authorship.js';
export { isPrincipal } from './principals.js';
