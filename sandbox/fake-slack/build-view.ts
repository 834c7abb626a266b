import { normalizeBlocks, normalizeTextObject } from './normalize-blocks.js';
import type { JsonObject, SlackView } from './types.js';

export interface ViewIdentity {
  id: string;
  hash: string;
  teamId: string;
  appId: string;
  botId: string;
  previousViewId: string | null;
  rootViewId: string;
}

/** Turns a validated view argument into the stored view Slack returns (see example-view-submission.json). */
export function buildSlackView(input: JsonObject, identity: ViewIdentity): SlackView {
  const str = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    id: identity.id,
    team_id: identity.teamId,
    type: str(input.type),
    blocks: normalizeBlocks(Array.isArray(input.blocks) ? (input.blocks as JsonObject[]) : []),
    private_metadata: str(input.private_metadata),
    callback_id: str(input.callback_id),
    state: { values: {} },
    hash: identity.hash,
    title: normalizeTextObject(input.title) ?? {},
    clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true,
    close: normalizeTextObject(input.close),
    submit: normalizeTextObject(input.submit),
    previous_view_id: identity.previousViewId,
    root_view_id: identity.rootViewId,
    app_id: identity.appId,
    external_id: str(input.external_id),
    app_installed_team_id: identity.teamId,
    bot_id: identity.botId,
  };
}
