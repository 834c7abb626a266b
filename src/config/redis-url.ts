import { z } from 'zod';

/**
 * REDIS_URL in its three forms: one server (`redis://`, `rediss://`), Redis Sentinel
 * (`redis+sentinel://[user:password@]host:26379,host2:26379/<master>[?db=N&sentinelPassword=…]`) and Redis
 * Cluster (`redis+cluster://[user:password@]host:7000,host2:7001`). A `rediss+` scheme speaks TLS. No
 * message here repeats the URL: it may hold a password.
 */

interface HostPort {
  host: string;
  port: number;
}

interface Auth {
  username?: string;
  password?: string;
  tls: boolean;
}

export type RedisTarget =
  | { kind: 'standalone'; url: string }
  | ({ kind: 'sentinel'; sentinels: HostPort[]; name: string; db: number; sentinelPassword?: string } & Auth)
  | ({ kind: 'cluster'; nodes: HostPort[] } & Auth);

const MULTI_HOST = /^(rediss?)\+(sentinel|cluster):\/\/(.*)$/;
const DEFAULT_PORT = { sentinel: 26379, cluster: 6379 } as const;
const MASTER_NAME = /^[A-Za-z0-9._-]+$/;

type Parsed = { target: RedisTarget; problems: [] } | { target?: undefined; problems: string[] };

/** The target of a REDIS_URL, or every problem found in it (each naming what to fix, never the value). */
export function parseRedisUrl(url: string): Parsed {
  if (/^rediss?:\/\//.test(url)) return { target: { kind: 'standalone', url }, problems: [] };
  const match = MULTI_HOST.exec(url);
  if (!match)
    return {
      problems: [
        'must be a redis://, rediss://, redis+sentinel://host:26379,…/<master> or redis+cluster://host:7000,… URL',
      ],
    };
  const [, scheme, kind, rest] = match as unknown as [string, string, 'sentinel' | 'cluster', string];
  const problems: string[] = [];
  const at = rest.lastIndexOf('@');
  const userinfo = at >= 0 ? rest.slice(0, at) : '';
  const afterAuth = at >= 0 ? rest.slice(at + 1) : rest;
  const [beforeQuery = '', query = ''] = splitOnce(afterAuth, '?');
  const [hostList = '', path = ''] = splitOnce(beforeQuery, '/');
  const params = new URLSearchParams(query);

  const hosts: HostPort[] = [];
  if (hostList === '')
    problems.push(`names no ${kind === 'sentinel' ? 'Sentinel' : 'Cluster node'} (host:port,…)`);
  else
    for (const item of hostList.split(',')) {
      const host = parseHost(item, DEFAULT_PORT[kind]);
      if (typeof host === 'string') problems.push(host);
      else hosts.push(host);
    }

  const auth: Auth = { tls: scheme === 'rediss' };
  if (userinfo) {
    const [user = '', password] = splitOnce(userinfo, ':');
    const decode = (s: string, what: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        problems.push(`has a ${what} that is not valid percent-encoding`);
        return undefined;
      }
    };
    if (user) auth.username = decode(user, 'user name');
    if (password) auth.password = decode(password, 'password');
  }
  const known = kind === 'sentinel' ? ['db', 'sentinelPassword'] : ['db'];
  for (const name of params.keys())
    if (!known.includes(name))
      problems.push(`has an unknown parameter "${name}" (known: ${known.join(', ')})`);

  if (kind === 'cluster') {
    const db = path || params.get('db') || '0';
    if (path.includes('/')) problems.push('has a path; a Redis Cluster URL is redis+cluster://host:port,…');
    else if (db !== '0')
      problems.push(
        'names a database other than 0; a Redis Cluster has only database 0 (keep deployments apart with REDIS_KEY_PREFIX)',
      );
    if (problems.length > 0) return { problems };
    return { target: { kind, nodes: hosts, ...auth }, problems: [] };
  }

  const name = decodeURIComponentSafe(path);
  if (!name)
    problems.push('names no master: redis+sentinel://host:26379,…/<master name as Sentinel knows it>');
  else if (!MASTER_NAME.test(name))
    problems.push('has a master name with characters other than A-Z a-z 0-9 . _ -');
  const dbText = params.get('db') ?? '0';
  const db = /^\d{1,2}$/.test(dbText) ? Number(dbText) : Number.NaN;
  if (!Number.isInteger(db)) problems.push('has a db that is not a database number (0, 1, …)');
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  if (problems.length > 0) return { problems };
  return {
    target: {
      kind,
      sentinels: hosts,
      name,
      db,
      ...auth,
      ...(sentinelPassword ? { sentinelPassword } : {}),
    },
    problems: [],
  };
}

/** The secrets a REDIS_URL carries, to be scrubbed from logs wherever they appear on their own. */
export function redisUrlSecrets(url: string): string[] {
  const { target } = parseRedisUrl(url);
  if (!target) return [];
  if (target.kind === 'standalone') {
    const password = URL.parse(url)?.password;
    return password ? [decodeURIComponentSafe(password)] : [];
  }
  const secrets = [target.password];
  if (target.kind === 'sentinel') secrets.push(target.sentinelPassword);
  return secrets.filter((s): s is string => Boolean(s));
}

/** REDIS_URL in the env schema: every problem of the URL is an issue of its own. */
export const redisUrlSchema = z.string().superRefine((value, ctx) => {
  for (const message of parseRedisUrl(value).problems) ctx.addIssue({ code: 'custom', message });
});

function parseHost(item: string, defaultPort: number): HostPort | string {
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/.exec(item);
  const [host, portText] = bracketed
    ? [bracketed[1] ?? '', bracketed[2]]
    : (() => {
        const colon = item.lastIndexOf(':');
        return colon >= 0 ? [item.slice(0, colon), item.slice(colon + 1)] : [item, undefined];
      })();
  if (!host || !/^[A-Za-z0-9.:_-]+$/.test(host)) return 'has an empty or malformed host in its host list';
  if (portText === undefined) return { host, port: defaultPort };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 1 && port <= 65_535)) return `has a bad port for host ${host} (must be 1-65535)`;
  return { host, port };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
