import type { App, BlockAction, ButtonAction, RespondArguments, RespondFn } from '@slack/bolt';
import type { Logger } from '../../logging/create-logger.js';
import type { SlackMessage } from '../../render/block-kit.js';
import { ACTION_IDS } from '../../render/ids.js';
import type { StatusService } from '../../status/status-service.js';

const DEPLOY_STATUS_COMMAND = '/deploy-status';

async function answer(
  respond: RespondFn,
  message: SlackMessage,
  replace: boolean,
  log: Logger,
): Promise<void> {
  const body: RespondArguments = {
    response_type: 'ephemeral',
    replace_original: replace,
    text: message.text,
    blocks: message.blocks as never,
  };
  try {
    await respond(body);
  } catch (error) {
    // The response_url allows 5 uses in 30 minutes; past that Slack refuses and there is no one to tell.
    log.warn({ err: error }, 'could not deliver the /deploy-status answer');
  }
}

/** `/deploy-status` and its Next button: ack at once (Slack's 3 s), then answer ephemerally via response_url. */
export function registerDeployStatusCommand(bolt: App, status: StatusService, logger: Logger): void {
  bolt.command(DEPLOY_STATUS_COMMAND, async ({ ack, command, respond }) => {
    await ack();
    const log = logger.child({ command: DEPLOY_STATUS_COMMAND, user: command.user_id });
    const message = await status.answerCommand({ user: command.user_id, text: command.text ?? '' });
    log.info({ query: command.text }, '/deploy-status answered');
    await answer(respond, message, false, log);
  });
  bolt.action<BlockAction<ButtonAction>>(
    ACTION_IDS.statusNextPage,
    async ({ ack, body, action, respond }) => {
      await ack();
      const log = logger.child({ action: ACTION_IDS.statusNextPage, user: body.user.id });
      const message = await status.answerNextPage({ user: body.user.id, value: action.value });
      await answer(respond, message, true, log);
    },
  );
}
