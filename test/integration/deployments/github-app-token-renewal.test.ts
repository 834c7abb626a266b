import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../sandbox/world/seed.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';

// GitHub in app mode with installation tokens that live 3 s (GitHub's live an hour): the bot must
// renew from expires_at, so a card made after the first token expired still gets its changelog.
const LIFETIME_MS = 3000;

describe('GitHub App installation tokens that expire during the run', () => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ githubApp: { tokenLifetimeMs: LIFETIME_MS } });
  });
  afterAll(async () => {
    await env?.stop();
  });

  /** The changelog section of the card whose changelog (read from GitHub) names `subject`. */
  const changelogWith = (subject: string) =>
    env.world.slack
      .channelMessages(CHANNELS.prodDeploys.id)
      .flatMap((m) => (m.blocks ?? []) as { block_id?: string }[])
      .filter((b) => b.block_id?.startsWith('card_changelog'))
      .map((b) => JSON.stringify(b))
      .find((b) => b.includes(subject) && !b.includes('changelog unavailable'));

  it('a card still gets its changelog after the first token expired; no request used an expired token or the JWT', async () => {
    const { github } = env.world;
    await env.world.pushCommit({ author: 'dave', message: 'Batch inserts into ClickHouse' });
    await eventually(() => changelogWith('Batch inserts into ClickHouse'));
    const first = github.app!.tokens[0]!;
    await eventually(() => Date.now() > Date.parse(first.expiresAt) + 200, { timeoutMs: LIFETIME_MS + 2000 });

    await env.world.pushCommit({ author: 'carol', message: 'Shard the consumer group by region' });
    await eventually(() => changelogWith('Shard the consumer group by region'));

    const api = github.requests.filter((r) => !r.path.endsWith('/access_tokens'));
    const late = api.filter((r) => r.auth.kind === 'installation' && r.auth.tokenIndex > 1);
    expect(late.length).toBeGreaterThan(0);
    expect(github.app!.tokens.length).toBeGreaterThanOrEqual(2);
    for (const request of api) {
      expect(request.auth).toMatchObject({ kind: 'installation', expired: false });
      expect(request.status).not.toBe(401);
    }
    const exchanges = github.requests.filter((r) => r.path.endsWith('/access_tokens'));
    expect(exchanges.every((r) => r.auth.kind === 'jwt' && r.status === 201)).toBe(true);
    const logs = env.bot.logs.join('\n');
    expect(logs).not.toContain(env.world.env.GITHUB_APP_PRIVATE_KEY!.split('\n')[1]!);
    for (const { token } of github.app!.tokens) expect(logs).not.toContain(token);
  });
});
