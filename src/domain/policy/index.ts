export { freezeInForce } from './check-card.js';
export { decide } from './decide.js';
export { approvalsRequired } from './decide-approval.js';
export { decideFreezeCommand } from './decide-freeze.js';
export { DENY_RULES, type DenyRule } from './deny-rules.js';
export { describeApprovers } from './describe-approvers.js';
export {
  type Authorship,
  findAuthorship,
} from './find-authorship.js';
export { isPrincipal, type PrincipalList } from './principals.js';
export type { Actor, Decision, GroupMembers, PolicyAction, PolicyInput } from './types.js';
