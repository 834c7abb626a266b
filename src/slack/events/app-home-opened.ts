import type { App } from '@slack/bolt';
import type { AppHomeService } from '../../app-home/app-home-service.js';
import type { Logger } from '../../logging/create-logger.js';

/**
 * `app_home_opened` (Events API over HTTP or the socket; Bolt acks it first): the Home tab is rebuilt
 * for the viewer each time. The Messages tab fires the same event with `tab: 'messages'`; it has no view.
 */
export function registerAppHomeOpened(bolt: App, home: AppHomeService, logger: Logger): void {
  bolt.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    const log = logger.child({ event: 'app_home_opened', user: event.user });
    try {
      await home.publishFor(event.user);
      log.info('Home tab published');
    } catch (error) {
      // Nobody waits on an event's answer: the viewer sees the previous Home tab until the next open.
      log.warn({ err: error }, 'could not publish the Home tab');
    }
  });
}
