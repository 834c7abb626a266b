import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeSlack } from '../fake-slack/index.js';
import type { ArgoCdAppRow, ConsoleModel, Scenario } from './console-model.js';
import { routeConsoleRequest } from './console-routes.js';
import { ConsoleState } from './console-state.js';
import { LiveUpdates } from './live-updates.js';
import { loadAssets } from './load-assets.js';

export interface ConsoleOptions {
  slack: FakeSlack;
  scenarios?: Scenario[];
  roles?: Record<string, string>;
  defaultUser?: string;
  title?: string;
  /** Lists Argo CD's applications in the sidebar (named `<instance>/<app>` when there are several instances). */
  argocdApps?: () => ArgoCdAppRow[];
}

export interface SandboxConsole {
  /** A node:http handler; mount it as the fake Slack's `fallback` so permalinks open in the console. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): void;
}

/** The Slack-like web console over a fake Slack: channels, cards, buttons, modals, live updates. */
export async function createConsole(options: ConsoleOptions): Promise<SandboxConsole> {
  const state = new ConsoleState();
  const model: ConsoleModel = {
    slack: options.slack,
    state,
    scenarios: options.scenarios ?? [],
    roles: options.roles ?? {},
    defaultUser: options.defaultUser,
    title: options.title ?? 'deploybot sandbox',
    argocdApps: options.argocdApps,
  };
  const live = new LiveUpdates();
  const assets = await loadAssets();
  const unsubscribeSlack = options.slack.onChange((event) => {
    if (event.type !== 'api_call') live.notify();
  });
  const unsubscribeState = state.onChange(() => live.notify());
  return {
    handle: (req, res) => {
      void routeConsoleRequest(req, res, { model, live, assets });
    },
    close: () => {
      unsubscribeSlack();
      unsubscribeState();
      live.close();
    },
  };
}
