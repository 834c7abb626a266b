/** Slack answered 429: the caller decides when to try again (card updates are coalesced, not queued blindly). */
export class SlackRateLimitedError extends Error {
    retryAfterSec;
    code = 'slack_rate_limited';
    constructor(retryAfterSec, options) {
        super(`Slack rate limited the call; retry after ${retryAfterSec}s`, options);
        this.retryAfterSec = retryAfterSec;
    }
}
export class SlackApiError extends Error {
    slackError;
    code = 'slack_api_error';
    constructor(slackError, options) {
        super(`Slack API error: ${slackError}`, options);
        this.slackError = slackError;
    }
}
function wrap(error) {
    const e = error;
    if (e?.code === 'slack_webapi_rate_limited_error')
        return new SlackRateLimitedError(e.retryAfter ?? 1, { cause: error });
    if (e?.code === 'slack_webapi_platform_error')
        return new SlackApiError(e.data?.error ?? 'unknown_error', { cause: error });
    return error instanceof Error ? error : new Error(String(error));
}
export function createSlackClient(client, { cacheTtlMs = 5 * 60_000, now = Date.now } = {}) {
    const groups = new Map();
    const emails = new Map();
    const call = async (op) => {
        try {
            return await op();
        }
        catch (error) {
            throw wrap(error);
        }
    };
    return {
        async postMessage({ channel, text, blocks, threadTs }) {
            const result = await call(() => client.chat.postMessage({
                channel,
                text,
                ...(blocks ? { blocks: blocks } : {}),
                ...(threadTs ? { thread_ts: threadTs } : {}),
                unfurl_links: false,
                unfurl_media: false,
            }));
            return { channel: result.channel ?? channel, ts: result.ts ?? '' };
        },
        async updateMessage({ channel, ts, text, blocks }) {
            // Always send blocks with text: chat.update with text alone deletes the card's blocks.
            await call(() => client.chat.update({ channel, ts, text, blocks: (blocks ?? []) }));
        },
        async postEphemeral({ channel, user, text, blocks }) {
            await call(() => client.chat.postEphemeral({ channel, user, text, ...(blocks ? { blocks: blocks } : {}) }));
        },
        async permalink(channel, ts) {
            try {
                const result = await call(() => client.chat.getPermalink({ channel, message_ts: ts }));
                return result.permalink;
            }
            catch {
                return undefined;
            }
        },
        async openView(triggerId, view) {
            await call(() => client.views.open({ trigger_id: triggerId, view: view }));
        },
        async groupMembers(groupId) {
            const hit = groups.get(groupId);
            if (hit && hit.until > now())
                return hit.value;
            const result = await call(() => client.usergroups.users.list({ usergroup: groupId }));
            const users = result.users ?? [];
            groups.set(groupId, { value: users, until: now() + cacheTtlMs });
            return users;
        },
        async userEmail(userId) {
            const hit = emails.get(userId);
            if (hit && hit.until > now())
                return hit.value;
            const result = await call(() => client.users.info({ user: userId }));
            const email = result.user?.profile?.email;
            emails.set(userId, { value: email, until: now() + cacheTtlMs });
            return email;
        },
    };
}
