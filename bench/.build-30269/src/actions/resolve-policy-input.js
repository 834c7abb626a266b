const FORWARD = new Set(['approve', 'reject', 'retry']);
/** Resolves who the clicker is (people mapping, then Slack e-mail) without trusting anything the click carried. */
export async function resolveActor(ctx, userId, environment) {
    const person = ctx.config.policy.people.find((p) => p.slack === userId);
    let email = person?.email;
    if (!email && !environment.allowSelfApproval)
        email = await ctx.slack.userEmail(userId).catch(() => undefined);
    return { id: userId, githubLogin: person?.github, email };
}
/** Members of every group the environment names; a group Slack will not list counts as empty (deny). */
export async function resolveGroups(ctx, environment) {
    const groups = [...new Set([...environment.approvers.groups, ...environment.rollback.groups])];
    const entries = await Promise.all(groups.map(async (group) => {
        try {
            return [group, await ctx.slack.groupMembers(group)];
        }
        catch (error) {
            ctx.logger.warn({ err: error, group }, 'could not list user group members; treating the group as empty');
            return undefined;
        }
    }));
    return Object.fromEntries(entries.filter((e) => e !== undefined));
}
/** Whether the card still speaks for the app: a newer target (or deploy) makes it stale. */
export async function isCurrentTarget(repo, card, action) {
    if (card.kind === 'info' && FORWARD.has(action))
        return true;
    const current = await repo.currentTarget(card.app);
    if (!current || current.cardId === card.id)
        return true;
    if (FORWARD.has(action))
        return card.kind === 'info';
    // Going back from a deployed card is stale only once something newer is deployed or deploying.
    const newer = await repo.get(current.cardId);
    return !newer || !['syncing', 'succeeded', 'degraded', 'rolling-back'].includes(newer.state);
}
export async function buildPolicyInput(ctx, repo, action, card, userId) {
    const environment = ctx.config.policy.environments[card.environment];
    if (!environment)
        return undefined;
    const [actor, groupMembers, current] = await Promise.all([
        resolveActor(ctx, userId, environment),
        resolveGroups(ctx, environment),
        isCurrentTarget(repo, card, action),
    ]);
    return { action, card, environment, actor, groupMembers, now: ctx.now(), isCurrentTarget: current };
}
