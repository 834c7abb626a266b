import { parse as parseQuery } from 'node:querystring';
import { z } from 'zod';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import { verifySlackRequest } from './verify-slack-request.js';
const REPLAY_TTL_MS = 10 * 60 * 1000;
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/**
 * Parses the body exactly as Bolt will (form only for that exact content type, else JSON; an
 * interaction's `payload` field is JSON). Undefined when Bolt would not get an object: Bolt reads
 * fields of the parsed body outside its own try/catch, so `null` there is an unhandled rejection.
 */
function parseLikeBolt(rawBody, contentType) {
    try {
        if (contentType === 'application/x-www-form-urlencoded') {
            const form = parseQuery(rawBody);
            if (typeof form.payload !== 'string')
                return { ...form };
            const payload = JSON.parse(form.payload);
            return isObject(payload) ? payload : undefined;
        }
        const json = JSON.parse(rawBody);
        return isObject(json) ? json : undefined;
    }
    catch {
        return undefined;
    }
}
const text = (value) => (typeof value === 'string' ? value : undefined);
const anyObject = z.looseObject({});
const withId = z.looseObject({ id: z.string().optional() });
const optionalText = z.string().optional();
/**
 * The fields Bolt reads without checking them (`body.team.id`, `body.user.team_id`, `'channel' in
 * event`, `body.view.app_installed_team_id`...), with the types Slack sends. A signed body that breaks
 * one made Bolt answer 500 or reject an unhandled promise; it gets a 400 here instead. Everything
 * else passes untouched.
 */
const boltReadableBody = z.looseObject({
    type: z.unknown().optional(),
    token: optionalText,
    team: withId.nullish(),
    user: z.looseObject({ id: z.string(), team_id: optionalText }).optional(),
    enterprise: withId.nullish(),
    channel: withId.optional(),
    container: anyObject.optional(),
    message: anyObject.optional(),
    actions: z.array(anyObject).min(1).optional(),
    view: z
        .looseObject({
        callback_id: optionalText,
        private_metadata: optionalText,
        app_installed_team_id: z.string().nullish(),
        // Slack's input values: `value` is text (or null) for every element that has one.
        state: z
            .looseObject({
            values: z.record(z.string(), z.record(z.string(), z.looseObject({ value: z.string().nullish() }))),
        })
            .optional(),
    })
        .optional(),
    event: z
        .looseObject({
        channel: z.union([z.string(), withId]).optional(),
        channel_id: optionalText,
        item: anyObject.optional(),
        user: z.union([z.string(), withId]).optional(),
        subteam: anyObject.optional(),
    })
        .optional(),
    authorizations: z
        .array(z.looseObject({ team_id: z.string().nullish(), enterprise_id: z.string().nullish() }))
        .optional(),
    command: optionalText,
    team_id: optionalText,
    enterprise_id: optionalText,
    channel_id: optionalText,
    user_id: optionalText,
    api_app_id: optionalText,
    response_url: optionalText,
    trigger_id: optionalText,
});
/**
 * Bolt sorts a body as an event, a command, or an interaction (options, action, shortcut, view) in
 * this order; it reads `user.id` of every interaction (and `user.team_id` when `team` is null), and
 * the view of a view payload.
 */
function isReadableByBolt(body) {
    const parsed = boltReadableBody.safeParse(body);
    if (!parsed.success)
        return false;
    const b = parsed.data;
    if (b.event !== undefined || b.command !== undefined)
        return true;
    const isView = b.type === 'view_submission' || b.type === 'view_closed';
    const interactive = b.name !== undefined ||
        b.actions !== undefined ||
        isView ||
        ['block_suggestion', 'dialog_submission', 'shortcut', 'message_action'].includes(String(b.type));
    if (!interactive)
        return true;
    if (isView && b.view === undefined)
        return false;
    // A submission always carries the state of its inputs; listeners read it before they can answer.
    if (b.type === 'view_submission' && b.view?.state === undefined)
        return false;
    return b.user !== undefined;
}
/** Workspace and app of a command (form fields), an interaction (payload) or an Events API body (JSON). */
function identity(body) {
    const team = isObject(body.team) ? text(body.team.id) : undefined;
    const userTeam = isObject(body.user) ? text(body.user.team_id) : undefined;
    return { teamId: team ?? text(body.team_id) ?? userTeam, appId: text(body.api_app_id) };
}
/**
 * POST /slack/events: our own checks in front of Bolt's receiver (which verifies the signature again):
 * a symmetric timestamp window, the expected workspace and app, and one use per signed request.
 */
export function slackEventsRoute({ signingSecret, boltListener, store, logger, teamId, appId, now = Date.now, }) {
    return {
        method: 'POST',
        path: '/slack/events',
        name: 'slack_events',
        async handle(req, res) {
            let raw;
            try {
                raw = await readBody(req);
            }
            catch (error) {
                if (error instanceof BodyTooLargeError)
                    return { status: 413, outcome: 'too_large', body: { error: error.message } };
                return { status: 400, outcome: 'invalid', body: { error: 'could not read the request body' } };
            }
            const rawBody = raw.toString('utf8');
            const header = (name) => {
                const v = req.headers[name];
                return Array.isArray(v) ? v[0] : v;
            };
            const signature = header('x-slack-signature');
            const verdict = verifySlackRequest({
                signingSecret,
                rawBody,
                timestamp: header('x-slack-request-timestamp'),
                signature,
                nowMs: now(),
            });
            if (!verdict.ok) {
                logger.warn({ reason: verdict.reason }, 'refused a Slack request');
                return { status: 401, outcome: 'unauthorized' };
            }
            const body = parseLikeBolt(rawBody, header('content-type'));
            if (!body || !isReadableByBolt(body)) {
                logger.warn('refused a signed Slack request whose body is not a Slack request');
                return { status: 400, outcome: 'invalid', body: { error: 'body is not a Slack request' } };
            }
            const who = identity(body);
            if ((teamId && who.teamId && who.teamId !== teamId) || (appId && who.appId && who.appId !== appId)) {
                logger.warn({ teamId: who.teamId, appId: who.appId }, 'refused a Slack request for another workspace or app');
                return { status: 401, outcome: 'wrong_workspace' };
            }
            try {
                if (!(await store.markSeen(`slack-sig:${signature}`, REPLAY_TTL_MS))) {
                    logger.warn('refused a replayed Slack request');
                    return { status: 401, outcome: 'replayed' };
                }
            }
            catch {
                // The store is down: let the listener run so the user is told to try again (it fails closed there).
            }
            req.rawBody = raw;
            boltListener(req, res);
            return undefined;
        },
    };
}
