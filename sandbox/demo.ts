/**
 * `npm run demo`: the whole flow on one machine with no accounts and no configuration. Fake Slack (with its
 * web console), fake Argo CD and fake GitHub, and the real bot talking to them over HTTP
 * (`-- --socket-mode`: Slack reaches the bot over Socket Mode). With FLEET_DEMO (sandbox/demo/demo-fleet.ts) it
 * runs two Argo CD instances and a fleet group; `-- --single-instance` gives the one-instance demo.
 */
import { FLEET_DEMO, FLEET_GROUP } from './demo/demo-fleet.js';
import { isPortTaken } from './demo/port-check.js';
import { type Demo, startDemo } from './demo/start-demo.js';

const HOST = '127.0.0.1';

function readPort(): number {
  const raw = process.env.DEMO_PORT ?? '4000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`DEMO_PORT must be a port number (0-65535), not "${raw}".\n`);
    process.exit(1);
  }
  return port;
}

function printWelcome(demo: Demo): void {
  // 127.0.0.1, not localhost: the bot's permalinks use it, and the console's user cookie is per host.
  const url = demo.consoleUrl;
  process.stdout.write(
    [
      '',
      `  deploybot sandbox is running: open ${url}`,
      '',
      '  Try this:',
      '    1. As dave, press "Push a commit to main": a prod card asks for approval in #prod-deploys.',
      '    2. Press Approve & Sync as dave (refused: not an approver), then switch to alice and approve it.',
      '    3. Type /deploy-status in the message box.',
      '    4. Press "Freeze prod for 1h", push again: alice is refused; as bob (on-call), press Break glass and give a reason.',
      '    5. Press "Hang the next sync", approve a card: after 15 s it is marked stuck and Abort ends it.',
      '    6. Type /deploy-status stats, or switch to dave to see the DM he gets when his change ships.',
      ...(demo.world.multiInstance
        ? [
            `    7. Press "Push to the event-ingestion fleet": one ${FLEET_GROUP} card lists the apps on eu and us;`,
            '       approve it as alice: the canary wave syncs first, then the rest ("Fail the canary wave" stops them).',
          ]
        : []),
      '',
      ...(demo.world.multiInstance
        ? [`  Argo CD instances: ${demo.world.instances.join(', ')} (--single-instance for one).`]
        : []),
      `  Slack transport: ${demo.world.slackTransport === 'socket' ? 'Socket Mode (--socket-mode)' : 'HTTP (/slack/events)'}.`,
      `  Store: ${process.env.REDIS_URL ? 'Redis (REDIS_URL)' : 'in memory'}. Press Ctrl-C to stop.`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const port = readPort();
  if (port !== 0 && (await isPortTaken(port, HOST))) {
    process.stderr.write(
      `Port ${port} is already in use, so the console cannot start there.\n` +
        `Stop whatever uses it, or pick another port: DEMO_PORT=4001 npm run demo\n`,
    );
    process.exit(1);
  }
  // `npm run demo -- --socket-mode`: the fake Slack reaches the bot over Socket Mode instead of HTTP.
  const socketMode = process.argv.includes('--socket-mode');
  // The fleet demo needs the bot's multi-instance config and policy groups; --single-instance runs without.
  const fleet = FLEET_DEMO && !process.argv.includes('--single-instance');
  const demo = await startDemo({
    fleet,
    port,
    world: socketMode ? { slackTransport: 'socket' } : undefined,
    host: HOST,
    redisUrl: process.env.REDIS_URL || undefined,
    logLevel: process.env.LOG_LEVEL || 'warn',
  });
  printWelcome(demo);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n  ${signal}: stopping the bot and the sandbox…\n`);
    try {
      await demo.stop();
      process.stdout.write('  Stopped.\n');
      process.exit(0);
    } catch (error) {
      process.stderr.write(`  Stopping failed: ${String(error)}\n`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The demo could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  if (FLEET_DEMO && !process.argv.includes('--single-instance'))
    process.stderr.write(
      'The fleet demo (two Argo CD instances, policy groups) needs a bot that knows them; `npm run demo -- --single-instance` runs the one-instance demo.\n',
    );
  process.exit(1);
});
