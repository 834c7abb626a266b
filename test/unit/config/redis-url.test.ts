import { describe, expect, it } from 'vitest';
import { secretValues } from '../../../src/app/create-deploybot.js';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { parseRedisUrl, redisUrlSecrets } from '../../../src/config/redis-url.js';
import { createLogger } from '../../../src/logging/create-logger.js';
import { slotPrefix } from '../../../src/store/redis-connection.js';

const env = {
  SLACK_BOT_TOKEN: 'xoxb-test-token-value',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  ARGOCD_URL: 'https://argocd.example.com',
  ARGOCD_TOKEN: 'argocd-token-value',
  ARGOCD_WEBHOOK_SECRET: 'webhook-secret-value',
};
const readText = async () => 'apps: [{match: "*", environment: dev}]\nenvironments: {dev: {}}\n';

describe('REDIS_URL forms', () => {
  it('reads one server as it is', () => {
    expect(parseRedisUrl('rediss://:pw@redis.example.com:6380/2').target).toEqual({
      kind: 'standalone',
      url: 'rediss://:pw@redis.example.com:6380/2',
    });
  });

  it('reads Sentinels, the master name, the database and both passwords', () => {
    expect(
      parseRedisUrl(
        'redis+sentinel://app:s%40cret@h1:26379,h2,[::1]:26380/mymaster?db=3&sentinelPassword=sent-pw',
      ).target,
    ).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 'h1', port: 26379 },
        { host: 'h2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      db: 3,
      username: 'app',
      password: 's@cret',
      sentinelPassword: 'sent-pw',
      tls: false,
    });
  });

  it('reads Cluster nodes, TLS with rediss+cluster', () => {
    expect(parseRedisUrl('rediss+cluster://:pw@h1:7000,h2:7001').target).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'h1', port: 7000 },
        { host: 'h2', port: 7001 },
      ],
      password: 'pw',
      tls: true,
    });
    expect(parseRedisUrl('redis+cluster://h1:7000/0').target?.kind).toBe('cluster');
  });

  it.each([
    ['redis+sentinel://h1:26379', 'names no master'],
    ['redis+sentinel://h1:26379/', 'names no master'],
    ['redis+sentinel://h1:99999/m', 'has a bad port for host h1'],
    ['redis+sentinel://h1:x/m', 'has a bad port for host h1'],
    ['redis+sentinel:///m', 'names no Sentinel'],
    ['redis+sentinel://h1,,h2/m', 'empty or malformed host'],
    ['redis+sentinel://h1/m?db=x', 'db that is not a database number'],
    ['redis+sentinel://h1/m?tls=1', 'unknown parameter "tls"'],
    ['redis+cluster://h1:7000/3', 'a Redis Cluster has only database 0'],
    ['redis+cluster://h1:7000?db=1', 'a Redis Cluster has only database 0'],
    ['redis+cluster://', 'names no Cluster node'],
    ['memcached://h1', 'must be a redis://'],
  ])('refuses %s: %s', (url, problem) => {
    expect(parseRedisUrl(url).problems.join('\n')).toContain(problem);
  });

  it('stops the start naming the problem, never repeating the password', async () => {
    const error = await loadConfig({
      env: { ...env, REDIS_URL: 'redis+cluster://:top-secret-password@h1:7000/2' },
      readText,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    expect(text).toContain('env REDIS_URL: names a database other than 0');
    expect(text).not.toContain('top-secret-password');
  });

  it('starts with a valid Sentinel URL', async () => {
    const config = await loadConfig({
      env: { ...env, REDIS_URL: 'redis+sentinel://h1:26379/main' },
      readText,
    });
    expect(config.env.REDIS_URL).toBe('redis+sentinel://h1:26379/main');
  });

  it('names every password of the URL as a secret to scrub', () => {
    expect(redisUrlSecrets('redis://:plain-pw@h:6379')).toEqual(['plain-pw']);
    expect(redisUrlSecrets('redis+sentinel://u:master%2Fpw@h1/m?sentinelPassword=sentinel-pw')).toEqual([
      'master/pw',
      'sentinel-pw',
    ]);
    expect(redisUrlSecrets('redis+cluster://:cluster-pw@h1:7000')).toEqual(['cluster-pw']);
  });
});

describe('key prefix on a Cluster', () => {
  const cluster = parseRedisUrl('redis+cluster://h1:7000').target!;
  const single = parseRedisUrl('redis://h1').target!;
  it('is one hash tag on a Cluster only, so all keys of a deployment share one slot', () => {
    expect(slotPrefix('deploybot:', cluster)).toBe('{deploybot:}');
    expect(slotPrefix('deploybot:', single)).toBe('deploybot:');
    expect(slotPrefix('{team-a}:bot:', cluster)).toBe('{team-a}:bot:');
    expect(slotPrefix('a{}b:', cluster)).toBe('{ab:}');
    expect(() => slotPrefix('{}', cluster)).toThrow(/REDIS_KEY_PREFIX/);
  });
});

describe('passwords of a Sentinel or Cluster URL in the logs', () => {
  it('are scrubbed wherever a log line quotes them on their own', async () => {
    const url =
      'redis+sentinel://app:master-password-1@h1:26379,h2:26379/main?sentinelPassword=sentinel-password-2';
    const config = await loadConfig({ env: { ...env, REDIS_URL: url }, readText });
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      secrets: secretValues(config),
      destination: { write: (line: string) => lines.push(line) },
    });
    logger.error(
      { err: new Error('WRONGPASS master-password-1; sentinel said sentinel-password-2'), url },
      'Redis refused us',
    );
    await new Promise((r) => setTimeout(r, 20));
    const text = lines.join('');
    expect(text).toContain('Redis refused us');
    expect(text).not.toContain('master-password-1');
    expect(text).not.toContain('sentinel-password-2');
  });
});
