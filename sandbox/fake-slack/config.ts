import type { FakeSlackChannel, FakeSlackOptions, FakeSlackUser, FakeSlackUsergroup } from './types.js';

export interface FakeSlackConfig {
  teamId: string;
  teamDomain: string;
  teamName: string;
  appId: string;
  botId: string;
  botUserId: string;
  botName: string;
  botToken: string;
  appToken: string;
  verificationToken: string;
  users: FakeSlackUser[];
  channels: FakeSlackChannel[];
  usergroups: FakeSlackUsergroup[];
  realisticRateLimits: boolean;
  triggerTtlMs: number;
  now: () => number;
}

/** The IDs of shared/contracts/slack's examples, so the examples and the fake describe one workspace. */
const DEFAULT_USERS: FakeSlackUser[] = [
  { id: 'U0ALICE0001', name: 'alice', realName: 'Alice Approver', email: 'alice@example.com' },
];

const DEFAULT_CHANNELS: FakeSlackChannel[] = [{ id: 'C0DEPLOYS01', name: 'deploys' }];

export function resolveConfig(options: FakeSlackOptions): FakeSlackConfig {
  const botUserId = options.botUserId ?? 'U0DEPLOYBOT';
  const botName = options.botName ?? 'deploybot';
  const users = structuredClone(options.users ?? DEFAULT_USERS);
  if (!users.some((u) => u.id === botUserId)) {
    users.push({ id: botUserId, name: botName, realName: botName, email: '', isBot: true });
  }
  return {
    teamId: options.teamId ?? 'T01EXAMPLE',
    teamDomain: options.teamDomain ?? 'acme-eng',
    teamName: options.teamName ?? 'Acme Engineering',
    appId: options.appId ?? 'A0DEPLOYBOT',
    botId: options.botId ?? 'B0DEPLOYBOT',
    botUserId,
    botName,
    botToken: options.botToken ?? 'xoxb-fake-slack-bot-token',
    appToken: options.appToken ?? 'xapp-1-A0DEPLOYBOT-fake-slack-app-token',
    verificationToken: options.verificationToken ?? 'deprecated-verification-token',
    users,
    channels: structuredClone(options.channels ?? DEFAULT_CHANNELS),
    usergroups: structuredClone(options.usergroups ?? []),
    realisticRateLimits: options.realisticRateLimits ?? false,
    triggerTtlMs: options.triggerTtlMs ?? 3000,
    now: options.now ?? Date.now,
  };
}
