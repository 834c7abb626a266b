import { ANYONE, type PrincipalList } from './principals.js';

/** Slack mrkdwn naming who may act: `<@U0ALICE>, <@U0BOB> or <!subteam^S0ONCALL>`, "anyone", or "nobody". */
export function describeApprovers(principals: PrincipalList): string {
  if (principals.users.includes(ANYONE)) return 'anyone';
  const names = [
    ...new Set(principals.users.map((user) => `<@${user}>`)),
    ...new Set(principals.groups.map((group) => `<!subteam^${group}>`)),
  ];
  return joinAlternatives(names) ?? 'nobody';
}

function joinAlternatives(items: readonly string[]): string | undefined {
  if (items.length <= 1) return items[0];
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
