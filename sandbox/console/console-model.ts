import type { FakeSlack } from '../fake-slack/index.js';
import type { ConsoleLocation } from './console-href.js';
import type { ConsoleState } from './console-state.js';
import { createDirectory } from './directory.js';
import type { MessageRenderContext } from './render-message.js';

/** A button in the scenario panel: it changes the world (a push, a failure) and says what it did. */
export interface Scenario {
  id: string;
  label: string;
  hint?: string;
  run(input: { user: string }): Promise<string>;
}

/** One Argo CD application as the console's Argo CD panel lists it. */
export interface ArgoCdAppRow {
  instance: string;
  app: string;
  sync: string;
  health: string;
  /** The running or last operation's phase, when there is one. */
  operation?: string;
  /** The deployed revision (a sha). */
  revision?: string;
}

/** Everything a console page is drawn from. */
export interface ConsoleModel {
  slack: FakeSlack;
  state: ConsoleState;
  scenarios: Scenario[];
  /** Shown next to each person in the user switcher ("approver", "on-call"). */
  roles: Record<string, string>;
  defaultUser?: string;
  title: string;
  /** The Argo CD applications of every instance, for the sidebar panel; no panel without it. */
  argocdApps?: () => ArgoCdAppRow[];
}

export function humanUsers(model: ConsoleModel) {
  return model.slack.users.filter((u) => !u.isBot && !u.deleted);
}

/** Channels the user sees: public ones, then the user's DM with the app if the app ever wrote one. */
export function visibleChannels(model: ConsoleModel, user: string) {
  return model.slack.channels.filter((c) => c.id.startsWith('C') || c.members?.includes(user) === true);
}

/** Query values may be ids or names (`?user=alice&channel=prod-deploys`); unknown ones fall back to defaults. */
export function resolveLocation(
  model: ConsoleModel,
  query: URLSearchParams,
  lastUser?: string,
): ConsoleLocation {
  const users = humanUsers(model);
  const userParam = query.get('user') ?? lastUser ?? '';
  const user =
    users.find((u) => u.id === userParam || u.name === userParam) ??
    users.find((u) => u.id === model.defaultUser) ??
    users[0];
  const userId = user?.id ?? '';
  const channels = visibleChannels(model, userId);
  const channelParam = (query.get('channel') ?? '').replace(/^#/, '');
  const channel = channels.find((c) => c.id === channelParam || c.name === channelParam) ?? channels[0];
  const thread = query.get('thread') ?? undefined;
  return { user: userId, channel: channel?.id ?? '', ...(thread ? { thread } : {}) };
}

export function renderContextFor(model: ConsoleModel, location: ConsoleLocation): MessageRenderContext {
  const { slack } = model;
  return {
    directory: createDirectory({
      users: slack.users,
      usergroups: slack.usergroups,
      channels: slack.channels,
    }),
    currentUser: location.user,
    users: slack.users,
    location,
  };
}
