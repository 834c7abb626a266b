import { fail, invalidArguments, ok } from '../api-result.js';
import { isObject } from '../block-kit-rules.js';
import { buildSlackView } from '../build-view.js';
import { createSlackId, createViewHash } from '../ids.js';
import { validateView } from '../validate-view.js';
import { type MethodHandler, stringArg } from './method-context.js';

const open: MethodHandler = (args, ctx) => {
  const problems = validateView(args.view);
  if (problems.length > 0 || !isObject(args.view)) return invalidArguments(problems);
  const exchange = ctx.views.exchangeTrigger(stringArg(args, 'trigger_id') ?? '');
  if (!exchange.ok) return fail(exchange.error);
  const id = createSlackId('V');
  const view = buildSlackView(args.view, {
    id,
    hash: createViewHash(ctx.now()),
    teamId: ctx.config.teamId,
    appId: ctx.config.appId,
    botId: ctx.config.botId,
    previousViewId: null,
    rootViewId: id,
  });
  ctx.views.open(exchange.user, view);
  return ok({ view });
};

const update: MethodHandler = (args, ctx) => {
  const viewId = stringArg(args, 'view_id');
  const externalId = stringArg(args, 'external_id');
  if (!viewId && !externalId) return invalidArguments(['missing required field: view_id or external_id']);
  const problems = validateView(args.view);
  if (problems.length > 0 || !isObject(args.view)) return invalidArguments(problems);
  const stored = viewId ? ctx.views.find(viewId) : ctx.views.findByExternalId(externalId ?? '');
  if (!stored?.open) return fail('not_found');
  // `hash` guards against overwriting a view another update already changed.
  const hash = stringArg(args, 'hash');
  if (hash !== undefined && hash !== stored.view.hash) return fail('hash_conflict');
  const view = buildSlackView(args.view, {
    id: stored.id,
    hash: createViewHash(ctx.now()),
    teamId: ctx.config.teamId,
    appId: ctx.config.appId,
    botId: ctx.config.botId,
    previousViewId: stored.view.previous_view_id,
    rootViewId: stored.view.root_view_id,
  });
  ctx.views.replace(stored.id, view);
  return ok({ view });
};

/**
 * views.publish: the Home tab of one user. Only a `home` view; the user must be a member of the
 * workspace; `hash` (from the last publish) guards against a race between two publishers.
 */
const publish: MethodHandler = (args, ctx) => {
  const userId = stringArg(args, 'user_id') ?? '';
  const problems = validateView(args.view);
  if (problems.length > 0 || !isObject(args.view)) return invalidArguments(problems);
  if (args.view.type !== 'home') return invalidArguments(['invalid `type`: views.publish takes a home view']);
  const user = ctx.config.users.find((u) => u.id === userId);
  if (!user || user.deleted) return fail('user_not_found');
  const current = ctx.views.home(userId);
  const hash = stringArg(args, 'hash');
  if (hash !== undefined && current !== undefined && hash !== current.hash) return fail('hash_conflict');
  const id = current?.id ?? createSlackId('V');
  const view = buildSlackView(args.view, {
    id,
    hash: createViewHash(ctx.now()),
    teamId: ctx.config.teamId,
    appId: ctx.config.appId,
    botId: ctx.config.botId,
    previousViewId: null,
    rootViewId: id,
  });
  ctx.views.publishHome(userId, view);
  return ok({ view });
};

export const viewMethods: Record<string, MethodHandler> = {
  'views.open': open,
  'views.publish': publish,
  'views.update': update,
};
