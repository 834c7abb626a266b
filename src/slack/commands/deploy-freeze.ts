import type { App, RespondArguments } from '@slack/bolt';
import type { FreezeService } from '../../freezes/freeze-service.js';
import type { Logger } from '../../logging/create-logger.js';
import { renderRefused, renderTryAgain } from '../../render/ephemeral.js';
import { StoreUnavailableError } from '../../store/store.js';

const DEPLOY_FREEZE_COMMAND = '/deploy-freeze';

/** `/deploy-freeze`: ack at once (Slack's 3 s), then answer ephemerally through response_url. */
export function registerDeployFreezeCommand(
  bolt: App,
  freezes: Pick<FreezeService, 'handle'>,
  logger: Logger,
): void {
  bolt.command(DEPLOY_FREEZE_COMMAND, async ({ ack, command, respond, body }) => {
    await ack();
    const log = logger.child({ command: DEPLOY_FREEZE_COMMAND, user: command.user_id });
    // A Slack Connect user's own team differs from the installing one (signed request fields).
    const userTeam = (body as { user_team_id?: string }).user_team_id;
    const external = userTeam !== undefined && userTeam !== command.team_id;
    let message: Awaited<ReturnType<FreezeService['handle']>>;
    try {
      message = await freezes.handle({ user: command.user_id, text: command.text ?? '', external });
    } catch (error) {
      if (error instanceof StoreUnavailableError)
        message = renderTryAgain({ action: DEPLOY_FREEZE_COMMAND, reason: 'the state store is unreachable' });
      else {
        log.error({ err: error }, '/deploy-freeze failed');
        message = renderRefused('deploybot hit an internal error; nothing was changed. Please try again.');
      }
    }
    const answer: RespondArguments = {
      response_type: 'ephemeral',
      text: message.text,
      blocks: message.blocks as never,
    };
    try {
      await respond(answer);
    } catch (error) {
      log.warn({ err: error }, 'could not deliver the /deploy-freeze answer');
    }
    log.info('/deploy-freeze answered');
  });
}
