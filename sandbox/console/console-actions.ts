import type { ConsoleModel } from './console-model.js';
import { RequestError, requireString } from './http-helpers.js';

type Body = Record<string, unknown>;

/** What the browser is told after an action; anything visible in Slack arrives through live updates. */
export interface ActionAnswer {
  status?: number;
  message?: string;
  [key: string]: unknown;
}

function describeAck(status: number): string {
  return status === 200 ? 'ok' : `HTTP ${status}`;
}

/** A click goes to the app exactly as Slack sends it: a signed block_actions request. */
export async function clickButton(model: ConsoleModel, body: Body): Promise<ActionAnswer> {
  const user = requireString(body, 'user');
  const channel = requireString(body, 'channel');
  let result: Awaited<ReturnType<ConsoleModel['slack']['clickButton']>>;
  try {
    result = await model.slack.clickButton({
      user,
      channel,
      ts: requireString(body, 'ts'),
      actionId: requireString(body, 'actionId'),
      ...(typeof body.blockId === 'string' && body.blockId ? { blockId: body.blockId } : {}),
    });
  } catch (error) {
    // The message changed under the user (the card moved on): Slack would show the new one.
    throw new RequestError(409, (error as Error).message);
  }
  if (result.status !== 200) {
    model.state.addNotice({
      channel,
      user,
      text: `deploybot did not acknowledge that click (${describeAck(result.status)}). Slack shows a warning sign on the button.`,
    });
  }
  return { status: result.status };
}

function readValues(body: Body): Record<string, Record<string, string>> {
  const raw = body.values;
  const values: Record<string, Record<string, string>> = {};
  if (typeof raw !== 'object' || raw === null) return values;
  for (const [blockId, actions] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof actions !== 'object' || actions === null) continue;
    values[blockId] = {};
    for (const [actionId, value] of Object.entries(actions as Record<string, unknown>)) {
      if (typeof value === 'string') values[blockId][actionId] = value;
    }
  }
  return values;
}

export async function submitView(model: ConsoleModel, body: Body): Promise<ActionAnswer> {
  const user = requireString(body, 'user');
  const viewId = requireString(body, 'viewId');
  const values = readValues(body);
  let result: Awaited<ReturnType<ConsoleModel['slack']['submitView']>>;
  try {
    result = await model.slack.submitView({ user, viewId, values });
  } catch (error) {
    throw new RequestError(409, (error as Error).message);
  }
  if (result.viewOpen) model.state.setForm(viewId, { values, errors: result.errors ?? {} });
  const problem = result.status === 200 ? result.problems?.join('; ') : describeAck(result.status);
  return {
    status: result.status,
    viewOpen: result.viewOpen,
    ...(result.errors ? { errors: result.errors } : {}),
    ...(problem ? { message: `The app's answer was refused: ${problem}` } : {}),
  };
}

export function closeView(model: ConsoleModel, body: Body): ActionAnswer {
  requireString(body, 'user');
  model.state.dismissView(requireString(body, 'viewId'));
  return {};
}

/** Slack shows users their own text with & < > escaped; the app reads it the same way. */
function escapeForSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `/command args` goes to the app as a slash command; anything else is a plain message from the user. */
export async function sendComposerText(model: ConsoleModel, body: Body): Promise<ActionAnswer> {
  const user = requireString(body, 'user');
  const channel = requireString(body, 'channel');
  const text = requireString(body, 'text').trim();
  const command = /^(\/\S+)\s*([\s\S]*)$/.exec(text);
  if (!command) {
    model.slack.postUserMessage({ channel, user, text: escapeForSlack(text) });
    return {};
  }
  const [, name = '', args = ''] = command;
  let result: Awaited<ReturnType<ConsoleModel['slack']['slashCommand']>>;
  try {
    result = await model.slack.slashCommand({ user, channel, command: name, text: args });
  } catch (error) {
    throw new RequestError(400, (error as Error).message);
  }
  if (result.status !== 200) {
    // Slack's own wording when the app's Request URL answers anything but 200.
    model.state.addNotice({
      channel,
      user,
      text: `${escapeForSlack(name)} failed with the error "dispatch_failed" (deploybot answered HTTP ${result.status}).`,
    });
  } else if (result.problems) {
    model.state.addNotice({
      channel,
      user,
      text: `Slack refused the answer to ${escapeForSlack(name)}: ${escapeForSlack(result.problems.join('; '))}`,
    });
  }
  return { status: result.status };
}

export async function runScenario(model: ConsoleModel, id: string, body: Body): Promise<ActionAnswer> {
  const scenario = model.scenarios.find((s) => s.id === id);
  if (!scenario) throw new RequestError(404, `no scenario ${id}`);
  const message = await scenario.run({ user: requireString(body, 'user') });
  return { message };
}
