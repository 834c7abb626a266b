import { type InteractionDeps, parseAck, postToApp, requireUser, workspaceOf } from './app-requests.js';
import { isObject } from './block-kit-rules.js';
import { buildSlackView } from './build-view.js';
import { createSlackId, createViewHash } from './ids.js';
import { buildViewSubmissionPayload, encodePayloadBody } from './interaction-payloads.js';
import type { JsonObject, StoredView, SubmitViewInput, SubmitViewResult } from './types.js';
import { validateView } from './validate-view.js';
import { buildViewState } from './view-state.js';

type AckOutcome = Omit<SubmitViewResult, 'status' | 'body' | 'payload'>;

function inputBlockIds(stored: StoredView): Set<string> {
  return new Set(stored.view.blocks.filter((b) => b.type === 'input').map((b) => String(b.block_id)));
}

function showErrors(stored: StoredView, ack: JsonObject): AckOutcome {
  const errors = isObject(ack.errors) ? (ack.errors as Record<string, string>) : {};
  const known = inputBlockIds(stored);
  const unknownErrorBlocks = Object.keys(errors).filter((id) => !known.has(id));
  return {
    responseAction: 'errors',
    errors,
    viewOpen: true,
    ...(unknownErrorBlocks.length > 0 ? { unknownErrorBlocks } : {}),
  };
}

/** `update` replaces the submitted view in place; `push` stacks a new one on top of it. */
function replaceOrPush(
  deps: InteractionDeps,
  stored: StoredView,
  ack: JsonObject,
  action: string,
): AckOutcome {
  const problems = validateView(ack.view);
  if (problems.length > 0 || !isObject(ack.view)) return { responseAction: action, viewOpen: true, problems };
  const push = action === 'push';
  const id = push ? createSlackId('V') : stored.id;
  const view = buildSlackView(ack.view, {
    id,
    hash: createViewHash(deps.config.now()),
    teamId: deps.config.teamId,
    appId: deps.config.appId,
    botId: deps.config.botId,
    previousViewId: push ? stored.id : stored.view.previous_view_id,
    rootViewId: stored.view.root_view_id,
  });
  if (push) deps.views.open(stored.user, view);
  else deps.views.replace(stored.id, view);
  return { responseAction: action, viewOpen: true };
}

function applyAck(deps: InteractionDeps, stored: StoredView, status: number, body: unknown): AckOutcome {
  if (status !== 200) return { viewOpen: true };
  const ack = isObject(body) ? body : {};
  const action = typeof ack.response_action === 'string' ? ack.response_action : undefined;
  if (action === 'errors') return showErrors(stored, ack);
  if (action === 'update' || action === 'push') return replaceOrPush(deps, stored, ack, action);
  if (action === 'clear') {
    deps.views.closeAllFor(stored.user);
    return { responseAction: action, viewOpen: false };
  }
  deps.views.close(stored.id);
  return { viewOpen: false };
}

export async function submitView(deps: InteractionDeps, input: SubmitViewInput): Promise<SubmitViewResult> {
  const user = requireUser(deps, input.user);
  const stored = deps.views.find(input.viewId);
  if (!stored?.open) throw new Error(`fake-slack: view ${input.viewId} is not open`);
  if (stored.user !== user.id)
    throw new Error(`fake-slack: view ${input.viewId} is open for ${stored.user}, not ${user.id}`);
  const view = { ...structuredClone(stored.view), state: buildViewState(stored.view, input.values) };
  const payload = buildViewSubmissionPayload({
    workspace: workspaceOf(deps.config),
    user: { id: user.id, name: user.name },
    view,
    triggerId: deps.views.issueTrigger(user.id),
  });
  const { status, text } = await postToApp(deps, {
    type: 'interactive',
    payload,
    rawBody: encodePayloadBody(payload),
  });
  const body = parseAck(text);
  return { status, body, payload, ...applyAck(deps, stored, status, body) };
}
