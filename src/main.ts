import { createDeploybot } from './app/create-deploybot.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { StoreUnavailableError } from './store/store.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig({ env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  let bot: Awaited<ReturnType<typeof createDeploybot>>;
  try {
    bot = await createDeploybot({ config });
  } catch (error) {
    if (error instanceof StoreUnavailableError) {
      process.stderr.write(
        `deploybot cannot start: Redis at REDIS_URL does not answer (${(error.cause as Error)?.message ?? ''})\n`,
      );
      process.exit(1);
    }
    throw error;
  }
  const { logger } = bot.context;
  // Background work (followers, publishers) must not take every deploy card down with it: a stray
  // rejection is a bug to log loudly, and the reconciler repairs what the failed task left behind.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection (a deploybot bug); still running');
  });
  // An exception thrown outside any promise leaves the process in an unknown state: log it and restart.
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; exiting so the pod restarts');
    process.exit(1);
  });
  await bot.start();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    bot
      .stop(SHUTDOWN_DEADLINE_MS)
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`deploybot failed to start: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
