import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppSeed, FakeArgoCd, RevisionMetadata } from '../fake-argocd/index.js';
import { startFakeArgoCd } from '../fake-argocd/index.js';
import type { FakeGitHub } from '../fake-github/index.js';
import { startFakeGitHub } from '../fake-github/index.js';
import type { FakeSlack } from '../fake-slack/index.js';
import { startFakeSlack } from '../fake-slack/index.js';
import {
  checkInstanceNames,
  DEFAULT_INSTANCE,
  instanceCredentials,
  multiInstanceEnv,
} from './argocd-instances.js';
import { freePort } from './free-port.js';
import {
  APP_ID,
  APPS,
  CHANNELS,
  deploymentYaml,
  ONCALL_GROUP,
  PEOPLE,
  type PersonKey,
  POLICY_YAML,
  PROJECT,
  REPO,
  REPO_URL,
  TEAM_ID,
} from './seed.js';

export const WORLD_SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-sandbox-bot-token',
  SLACK_SIGNING_SECRET: 'sandbox-signing-secret-0001',
  ARGOCD_TOKEN: 'sandbox-argocd-token',
  ARGOCD_WEBHOOK_SECRET: 'sandbox-argocd-webhook-secret',
  GITHUB_TOKEN: 'ghp_sandboxtoken000000000000000000',
  GITHUB_WEBHOOK_SECRET: 'sandbox-github-webhook-secret',
} as const;

/** The app-level token of Socket Mode; in `env` only when the world runs over the socket. */
export const WORLD_APP_TOKEN = 'xapp-1-A0DEPLOYBOT-sandbox-app-token';

export type SlackTransport = 'http' | 'socket';

/** The world's GitHub App (app mode): ids are fixed, the key pair is made per world. */
const WORLD_GITHUB_APP = { appId: '913', installationId: '4711' } as const;

export interface WorldOptions {
  /** How the fake Slack reaches the bot: signed POSTs to /slack/events (default) or Socket Mode. */
  slackTransport?: SlackTransport;
  /**
   * Run GitHub as a GitHub App: the bot gets GITHUB_APP_* instead of GITHUB_TOKEN and the fake takes
   * only its installation tokens, which live `tokenLifetimeMs` (default one hour).
   */
  githubApp?: { tokenLifetimeMs?: number };
  host?: string;
  /** Argo CD operation speed (ms for Running, then Progressing). */
  timing?: { syncMs?: number; healthMs?: number };
  /** How long new commits' GitHub checks stay in progress before turning green. */
  checksDelayMs?: number;
  realisticSlackRateLimits?: boolean;
  botPort?: number;
  /** Port of the fake Slack; default any free port. The demo puts the console on it (see `slackFallback`). */
  slackPort?: number;
  /** Requests the fake Slack does not own (not /api/, /response/): the console, and the permalinks it serves. */
  slackFallback?: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * Several Argo CD instances (`['eu', 'us']`): one fake each, with its own token and notification secret,
   * and the bot's env in multi-instance mode (`ARGOCD_INSTANCES`, `ARGOCD_<NAME>_*`, no `ARGOCD_URL`…).
   * The seed's apps live on the first. Unset: one instance, `default`, configured as before.
   */
  instances?: readonly string[];
}

/** An app added to one instance of the world, deployed at the tip of its branch like the seed's apps. */
export interface WorldAppSeed {
  name: string;
  /** default: the first instance */
  instance?: string;
  branch?: 'main' | 'develop';
  /** A path of the seed's repository, which gives the app its images; default the event-ingestion service. */
  path?: string;
  autoSync?: boolean;
  /** Namespace the app deploys to; default `gamemetrics`. */
  namespace?: string;
}

/** An app on one instance. */
export interface WorldAppRef {
  instance: string;
  name: string;
}

interface PushOptions {
  author?: PersonKey;
  /** Someone outside PEOPLE wrote the commit instead (a bot, an unmapped contractor). */
  authorIdentity?: { login?: string; name: string; email: string };
  message?: string;
  branch?: 'main' | 'develop';
  /** New image tag for the apps on that branch; default the next patch version. */
  tag?: string;
  /** Leave the new commit's checks red. */
  failingChecks?: boolean;
  /** Open (and merge) a pull request for the commit; default true. */
  withPull?: boolean;
  /** Apps added with `addApp` that move too (their instance's Argo CD sees Git move, with the new images). */
  alsoMove?: readonly WorldAppRef[];
  /** false: the commit changes the seed's manifests but only `alsoMove` apps see Git move; default true. */
  moveSeedApps?: boolean;
}

export interface World {
  slack: FakeSlack;
  slackTransport: SlackTransport;
  /** The first instance's fake (the only one without `instances`): the seed's apps live here. */
  argocd: FakeArgoCd;
  /** Every instance's fake by name; `{ default: argocd }` without `instances`. */
  argocdInstances: Readonly<Record<string, FakeArgoCd>>;
  /** The instance names in order; `['default']` without `instances`. */
  instances: readonly string[];
  /** True when the world was started with `instances` (the bot runs in multi-instance mode). */
  multiInstance: boolean;
  /** The fake of one instance; throws naming the instances there are. */
  argocdOn(instance: string): FakeArgoCd;
  /** Adds an app to one instance (default the first), OutOfSync-free at the tip of its branch. */
  addApp(seed: WorldAppSeed): WorldAppRef;
  github: FakeGitHub;
  botPort: number;
  botUrl: string;
  /** The environment the bot needs to live in this world. */
  env: Record<string, string>;
  policyYaml: string;
  /** A developer merges a change: a commit (+PR, + checks) on the branch, and Argo CD sees Git move. */
  pushCommit(options?: PushOptions): Promise<string>;
  headOf(branch: 'main' | 'develop'): string;
  close(): Promise<void>;
}

interface CommitMeta extends RevisionMetadata {}

/** Starts the three fakes with one consistent story (repo, apps, people) for the demo and the tests. */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const host = options.host ?? '127.0.0.1';
  // Checked before anything starts: a bad name is the caller's mistake, not a half-started world.
  const multiInstance = options.instances !== undefined;
  const instances = multiInstance ? checkInstanceNames(options.instances ?? []) : [DEFAULT_INSTANCE];
  const botPort = options.botPort ?? (await freePort(host));
  const botUrl = `http://${host}:${botPort}`;
  const commitMeta = new Map<string, CommitMeta>();
  const tags: Record<string, number> = {};

  const appKeys = options.githubApp
    ? generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      })
    : undefined;
  const github = await startFakeGitHub(
    appKeys
      ? {
          host,
          app: {
            ...WORLD_GITHUB_APP,
            publicKey: appKeys.publicKey,
            tokenLifetimeMs: options.githubApp?.tokenLifetimeMs,
          },
        }
      : { token: WORLD_SECRETS.GITHUB_TOKEN, host },
  );
  const { GITHUB_TOKEN, ...secretsWithoutGitHubToken } = WORLD_SECRETS;
  // Multi-instance mode: each instance has its own secrets (ARGOCD_<NAME>_*); the bot refuses the legacy two.
  const { ARGOCD_TOKEN, ARGOCD_WEBHOOK_SECRET, ...secretsWithoutArgoCd } = secretsWithoutGitHubToken;
  const githubAuth: Record<string, string> = appKeys
    ? {
        GITHUB_APP_ID: WORLD_GITHUB_APP.appId,
        GITHUB_APP_INSTALLATION_ID: WORLD_GITHUB_APP.installationId,
        GITHUB_APP_PRIVATE_KEY: appKeys.privateKey,
      }
    : { GITHUB_TOKEN };
  const repo = github.repo(REPO, { defaultBranch: 'main' });
  let clock = Date.now() - 3 * 24 * 3600_000;
  const commit = (
    author: PersonKey | { login?: string; realName: string; email: string },
    message: string,
    files: Record<string, string | null>,
    branch: 'main' | 'develop' = 'main',
  ) => {
    const person = typeof author === 'string' ? PEOPLE[author] : author;
    clock += 3600_000;
    const date = new Date(Math.min(clock, Date.now()));
    const sha = repo.commit({
      message,
      branch,
      files,
      author: { login: person.login, name: person.realName, email: person.email },
      date,
    } as Parameters<typeof repo.commit>[0]);
    commitMeta.set(sha, {
      author: `${person.realName} <${person.email}>`,
      date: date.toISOString(),
      message,
    });
    return sha;
  };
  const imageFiles = (tag: (image: string) => string) => {
    const files: Record<string, string> = {};
    for (const app of APPS)
      for (const [file, image] of Object.entries(app.imageFiles))
        files[file] = deploymentYaml(file.split('/').pop()!.replace('.yaml', ''), tag(image));
    return files;
  };
  const version = (image: string) =>
    `${image}:${tags[image] ? `1.4.${tags[image]}` : image.includes('kafka') ? '0.45.0-kafka-3.9.0' : '1.4.0'}`;
  commit('carol', 'Add event-ingestion consumer and producer manifests', {
    ...imageFiles(version),
    'k8s/services/event-ingestion/service.yaml':
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: event-ingestion\n',
    'k8s/kafka/base/topics.yaml':
      'apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: player-events\n',
  });
  const second = commit('dave', 'Tune consumer batch size for peak hours', {
    'k8s/services/event-ingestion/service.yaml':
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: event-ingestion\n  labels: { tier: ingest }\n',
  });
  repo.openPull({
    title: 'Tune consumer batch size for peak hours',
    head: 'dave/batch-size',
    base: 'main',
    author: 'dave',
    commits: [second],
    merged: true,
  });
  repo.setBranch('develop', repo.headOf('main')!);
  for (const sha of [repo.headOf('main')!])
    repo.setCheckRuns(sha, [{ name: 'tests', status: 'completed', conclusion: 'success' }]);

  const imagesFor = (app: Pick<(typeof APPS)[number], 'imageFiles'>, ref: string) =>
    Object.keys(app.imageFiles)
      .map((file) => /image: (\S+)/.exec(repo.fileAt(ref, file) ?? '')?.[1])
      .filter((i): i is string => Boolean(i));

  const slack = await startFakeSlack({
    host,
    teamId: TEAM_ID,
    teamDomain: 'gamemetrics',
    appId: APP_ID,
    botToken: WORLD_SECRETS.SLACK_BOT_TOKEN,
    appToken: WORLD_APP_TOKEN,
    transport: options.slackTransport ?? 'http',
    signingSecret: WORLD_SECRETS.SLACK_SIGNING_SECRET,
    appRequestUrl: `${botUrl}/slack/events`,
    users: Object.values(PEOPLE).map((p) => ({
      id: p.id,
      name: p.name,
      realName: p.realName,
      email: p.email,
    })),
    channels: Object.values(CHANNELS).map((c) => ({ ...c })),
    usergroups: [ONCALL_GROUP],
    realisticRateLimits: options.realisticSlackRateLimits,
    port: options.slackPort,
    fallback: options.slackFallback,
  });

  const seedApps: AppSeed[] = APPS.map((app) => ({
    name: app.name,
    project: PROJECT,
    repoURL: REPO_URL,
    path: app.path,
    targetRevision: app.branch,
    destination: {
      server: 'https://kubernetes.default.svc',
      namespace: app.name.startsWith('kafka')
        ? app.branch === 'main'
          ? 'kafka'
          : 'kafka-dev'
        : app.branch === 'main'
          ? 'gamemetrics'
          : 'gamemetrics-dev',
    },
    autoSync: app.autoSync,
    revision: repo.headOf(app.branch)!,
    images: imagesFor(app, repo.headOf(app.branch)!),
    health: 'Healthy' as const,
  }));
  const startArgoCd = (credentials: { token: string; webhookSecret: string }, apps: AppSeed[]) =>
    startFakeArgoCd({
      host,
      tokens: { [credentials.token]: 'deploybot' },
      timing: options.timing ?? { syncMs: 800, healthMs: 800 },
      revisionMetadata: (sha) => commitMeta.get(sha),
      notifications: { url: botUrl, secret: credentials.webhookSecret, retryWaitMs: 200 },
      apps,
    });
  const argocdInstances: Record<string, FakeArgoCd> = {};
  try {
    for (const [index, instance] of instances.entries())
      argocdInstances[instance] = await startArgoCd(
        multiInstance
          ? instanceCredentials(instance)
          : { token: WORLD_SECRETS.ARGOCD_TOKEN, webhookSecret: WORLD_SECRETS.ARGOCD_WEBHOOK_SECRET },
        index === 0 ? seedApps : [],
      );
  } catch (error) {
    await Promise.allSettled([
      slack.close(),
      github.close(),
      ...Object.values(argocdInstances).map((fake) => fake.close()),
    ]);
    throw error;
  }
  const argocd = argocdInstances[instances[0]!]!;
  const argocdOn = (instance: string): FakeArgoCd => {
    const fake = argocdInstances[instance];
    if (!fake)
      throw new Error(`the world has no Argo CD instance "${instance}" (it has ${instances.join(', ')})`);
    return fake;
  };
  /** Apps added after the start, with the manifests that give them their images. */
  const addedApps = new Map<string, Pick<(typeof APPS)[number], 'imageFiles'>>();
  const refKey = (ref: WorldAppRef) => `${ref.instance}/${ref.name}`;

  const checksTimers = new Set<NodeJS.Timeout>();
  const slackTransport = options.slackTransport ?? 'http';
  return {
    slack,
    slackTransport,
    argocd,
    argocdInstances,
    instances,
    multiInstance,
    argocdOn,
    addApp(seed) {
      const instance = seed.instance ?? instances[0]!;
      const fake = argocdOn(instance);
      const branch = seed.branch ?? 'main';
      const path = seed.path ?? 'k8s/services/event-ingestion';
      const manifests = { imageFiles: APPS.find((a) => a.path === path)?.imageFiles ?? {} };
      const revision = repo.headOf(branch)!;
      fake.addApp({
        name: seed.name,
        project: PROJECT,
        repoURL: REPO_URL,
        path,
        targetRevision: branch,
        destination: { server: 'https://kubernetes.default.svc', namespace: seed.namespace ?? 'gamemetrics' },
        autoSync: seed.autoSync ?? false,
        revision,
        images: imagesFor(manifests, revision),
        health: 'Healthy',
      });
      const ref = { instance, name: seed.name };
      addedApps.set(refKey(ref), manifests);
      return ref;
    },
    github,
    botPort,
    botUrl,
    policyYaml: POLICY_YAML,
    env: {
      ...(multiInstance ? secretsWithoutArgoCd : secretsWithoutGitHubToken),
      ...githubAuth,
      ...(slackTransport === 'socket' ? { SLACK_APP_TOKEN: WORLD_APP_TOKEN } : {}),
      SLACK_API_URL: slack.apiUrl,
      SLACK_TEAM_ID: TEAM_ID,
      SLACK_APP_ID: APP_ID,
      ...(multiInstance
        ? multiInstanceEnv(Object.fromEntries(instances.map((name) => [name, argocdOn(name).url])))
        : { ARGOCD_URL: argocd.url, ARGOCD_UI_URL: argocd.url }),
      GITHUB_API_URL: github.url,
      PORT: String(botPort),
    },
    headOf: (branch) => repo.headOf(branch)!,
    async pushCommit(push = {}) {
      const branch = push.branch ?? 'main';
      const author = push.author ?? 'dave';
      const affected = APPS.filter((a) => a.branch === branch);
      const images = [
        ...new Set(
          affected.filter((a) => a.name.startsWith('event')).flatMap((a) => Object.values(a.imageFiles)),
        ),
      ];
      for (const image of images) tags[image] = (tags[image] ?? 0) + 1;
      const message =
        push.message ?? `Improve event-ingestion throughput (release 1.4.${tags[images[0] ?? ''] ?? 1})`;
      const files: Record<string, string> = {};
      for (const app of affected)
        for (const [file, image] of Object.entries(app.imageFiles))
          if (images.includes(image))
            files[file] = deploymentYaml(
              file.split('/').pop()!.replace('.yaml', ''),
              push.tag ? `${image}:${push.tag}` : version(image),
            );
      const identity = push.authorIdentity;
      const sha = commit(
        identity ? { login: identity.login, realName: identity.name, email: identity.email } : author,
        message,
        files,
        branch,
      );
      if (push.withPull !== false && !identity)
        repo.openPull({
          title: message,
          head: `${author}/${sha.slice(0, 7)}`,
          base: branch,
          author,
          commits: [sha],
          merged: true,
        });
      const delay = options.checksDelayMs ?? 0;
      const conclusion = push.failingChecks ? ('failure' as const) : ('success' as const);
      if (delay > 0) {
        repo.setCheckRuns(sha, [
          { name: 'tests', status: 'in_progress' },
          { name: 'build-and-push', status: 'queued' },
        ]);
        const timer = setTimeout(() => {
          checksTimers.delete(timer);
          repo.setCheckRuns(sha, [
            { name: 'tests', status: 'completed', conclusion },
            { name: 'build-and-push', status: 'completed', conclusion },
          ]);
        }, delay);
        checksTimers.add(timer);
      } else {
        repo.setCheckRuns(sha, [
          { name: 'tests', status: 'completed', conclusion },
          { name: 'build-and-push', status: 'completed', conclusion },
        ]);
      }
      if (push.moveSeedApps !== false)
        for (const app of affected) argocd.pushRevision(app.name, sha, { images: imagesFor(app, sha) });
      for (const ref of push.alsoMove ?? []) {
        const manifests = addedApps.get(refKey(ref));
        if (!manifests) throw new Error(`alsoMove: ${refKey(ref)} was not added with world.addApp`);
        argocdOn(ref.instance).pushRevision(ref.name, sha, { images: imagesFor(manifests, sha) });
      }
      return sha;
    },
    async close() {
      for (const timer of checksTimers) clearTimeout(timer);
      await Promise.allSettled([
        slack.close(),
        ...Object.values(argocdInstances).map((fake) => fake.close()),
        github.close(),
      ]);
    },
  };
}
