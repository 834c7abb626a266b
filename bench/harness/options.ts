/** How much work each phase does; `--quick` keeps the whole run under a minute on two cores. */
export interface BenchSizes {
  /** How long nothing must move (Slack, Argo CD) before the bench takes the bot as idle again. */
  settleMs: number;
  /** Click → ack bursts: concurrent clicks per burst and how many bursts of each size (ours and baseline). */
  clickBursts: { concurrency: number; rounds: number }[];
  /** Click → sync request: clicks sent one every `spacedClickIntervalMs`. */
  spacedClicks: number;
  spacedClickIntervalMs: number;
  /** Notification → card: open-loop rate and length of each block (ours and the floor alternate). */
  notifyPerSecond: number;
  notifySeconds: number;
  notifyBlocks: number;
  /** Ingest throughput: autocannon runs of this many seconds, alternating ours and baseline. */
  ingestSeconds: number;
  ingestRounds: number;
  ingestConnections: number;
  /** Memory: notifications per round, spread over this many apps; two rounds. */
  memoryApps: number;
  memoryNotifications: number;
  /** /deploy-status: apps in Argo CD and how many times the command is run. */
  statusApps: number;
  statusRuns: number;
  /** Fleet: apps of one group moved by one revision, of which the first wave (the canaries) holds this many. */
  fleetApps: number;
  fleetCanaries: number;
}

export interface BenchOptions {
  quick: boolean;
  /** Run only these phases (names as in bench/run.ts); empty = all. */
  only: string[];
  /** Write a CPU profile of the main bot and print where its time went. */
  profile: boolean;
  sizes: BenchSizes;
}

const FULL: BenchSizes = {
  settleMs: 800,
  clickBursts: [
    { concurrency: 20, rounds: 5 },
    { concurrency: 100, rounds: 3 },
  ],
  spacedClicks: 40,
  spacedClickIntervalMs: 100,
  notifyPerSecond: 50,
  notifySeconds: 5,
  notifyBlocks: 2,
  ingestSeconds: 5,
  ingestRounds: 2,
  ingestConnections: 10,
  memoryApps: 500,
  memoryNotifications: 10_000,
  statusApps: 2000,
  statusRuns: 3,
  fleetApps: 200,
  fleetCanaries: 20,
};

const QUICK: BenchSizes = {
  settleMs: 400,
  clickBursts: [
    { concurrency: 20, rounds: 1 },
    { concurrency: 100, rounds: 1 },
  ],
  spacedClicks: 10,
  spacedClickIntervalMs: 100,
  notifyPerSecond: 50,
  notifySeconds: 1,
  notifyBlocks: 1,
  ingestSeconds: 1,
  ingestRounds: 1,
  ingestConnections: 10,
  memoryApps: 30,
  memoryNotifications: 300,
  statusApps: 2000,
  statusRuns: 1,
  fleetApps: 40,
  fleetCanaries: 5,
};

export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = onlyArg
    ? onlyArg
        .slice('--only='.length)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const profile = argv.includes('--profile');
  const unknown = argv.filter((a) => a !== '--quick' && a !== '--profile' && !a.startsWith('--only='));
  if (unknown.length > 0)
    throw new Error(`unknown argument(s): ${unknown.join(' ')} (use --quick, --profile, --only=phase,phase)`);
  return { quick, only, profile, sizes: quick ? QUICK : FULL };
}
