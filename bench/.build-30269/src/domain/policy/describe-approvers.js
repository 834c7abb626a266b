import { ANYONE } from './principals.js';
/** Slack mrkdwn naming who may act: `<@U0ALICE>, <@U0BOB> or <!subteam^S0ONCALL>`, "anyone", or "nobody". */
export function describeApprovers(principals) {
    if (principals.users.includes(ANYONE))
        return 'anyone';
    const names = [
        ...new Set(principals.users.map((user) => `<@${user}>`)),
        ...new Set(principals.groups.map((group) => `<!subteam^${group}>`)),
    ];
    return joinAlternatives(names) ?? 'nobody';
}
export function joinAlternatives(items) {
    if (items.length <= 1)
        return items[0];
    return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
