import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { compareScopes, computeScopeNeeds, findFieldScopes, findSlackMethodCalls } from './slack-scopes.js';

const root = join(import.meta.dirname, '..', '..');
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), 'utf8'));

interface Manifest {
  features: {
    slash_commands?: { command: string; url?: string; usage_hint?: string }[];
    app_home?: { home_tab_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
    event_subscriptions?: unknown;
  };
}

const manifest = readJson('manifest.json') as Manifest;

function compileManifestSchema() {
  // strictTypes off: the schema's unrelated `hermes` part puts minItems on a string; every keyword still counts.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: '_note', schemaType: 'string' });
  // Slack's schema writes `regex` where JSON Schema says `pattern`; check it rather than ignore it.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  return ajv.compile(readJson('test/contracts/slack/manifest.schema.1.0.0.json') as object);
}

function listTypeScriptFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(dir, f));
}

describe('manifest.json against the Slack manifest schema v1', () => {
  const validate = compileManifestSchema();

  it('is valid', () => {
    const ok = validate(manifest);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the same schema rejects an unknown key and a bad colour, so the check above means something', () => {
    const broken = structuredClone(manifest) as unknown as Record<string, Record<string, unknown>>;
    broken.settings = { ...broken.settings, socket_mode: true };
    broken.display_information = { ...broken.display_information, background_color: '#zzzzzz' };
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(paths).toContain('/settings additionalProperties');
    expect(paths).toContain('/display_information/background_color regex');
  });
});

describe('manifest.json for deploybot', () => {
  it('declares /deploy-status and /deploy-freeze with their usage and one HTTPS request URL, /slack/events, for commands and interactivity', () => {
    const commands = manifest.features.slash_commands ?? [];
    expect(commands.map((c) => c.command)).toEqual(['/deploy-status', '/deploy-freeze']);
    expect(commands[0]?.usage_hint).toBe('[app-glob | env | mine | audit <app> | help]');
    expect(commands[1]?.usage_hint).toBe('[<env> <duration> <reason…> | off <env>]');
    // Every command goes to the same request URL as interactivity.
    expect(new Set(commands.map((c) => c.url)).size).toBe(1);
    // docs/install.md has operators replace the example host with theirs.
    const url = new URL(commands[0]?.url ?? '');
    expect([url.protocol, url.pathname]).toEqual(['https:', '/slack/events']);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: url.href });
  });

  it('runs in HTTP mode; App Home: the Home tab and app_home_opened at the same /slack/events', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions).toEqual({
      request_url: manifest.settings.interactivity.request_url,
      bot_events: ['app_home_opened'],
    });
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true });
  });

  it('stays valid in the Socket Mode variant of docs/install.md (one line changed, the URLs deleted)', () => {
    const socket = structuredClone(manifest);
    socket.settings.socket_mode_enabled = true;
    delete socket.settings.interactivity.request_url;
    delete (socket.settings.event_subscriptions as { request_url?: string }).request_url;
    for (const command of socket.features.slash_commands ?? []) delete command.url;
    const validate = compileManifestSchema();
    expect(validate(socket), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('findSlackMethodCalls', () => {
  const sample = [
    "import { SLACK_METHODS } from './x.js';",
    'await client.chat.postMessage({ channel, text, blocks });',
    'await app.client.usergroups.users.list({ usergroup });',
    "await client.apiCall('chat.update', { channel, ts });",
    'export const SLACK_METHODS = ["views.open", `users.lookupByEmail`] as const;',
    'if (env.approvers.users.includes(userId)) return;',
    'const ids = users.filter(Boolean).map(String);',
    '// client.reactions.add( is only mentioned in a comment',
    '/* conversations.replies( too */',
    'await say({ text });',
  ].join('\n');

  it('finds direct calls, apiCall strings and method lists, and ignores collection calls and comments', () => {
    expect(findSlackMethodCalls(sample).sort()).toEqual(
      [
        'chat.postMessage',
        'chat.update',
        'usergroups.users.list',
        'users.lookupByEmail',
        'views.open',
      ].sort(),
    );
  });

  it('counts Bolt say() as chat.postMessage', () => {
    expect(findSlackMethodCalls('await say("hi")')).toEqual(['chat.postMessage']);
    expect(findSlackMethodCalls('await this.say("hi")')).toEqual([]);
  });

  it('maps the sample to scopes and reports what a manifest lacks or has in excess', () => {
    const needs = computeScopeNeeds(findSlackMethodCalls(sample), { hasSlashCommands: true });
    expect([...needs.scopes].sort()).toEqual(
      [
        'chat:write',
        'chat:write.public',
        'commands',
        'usergroups:read',
        'users:read',
        'users:read.email',
      ].sort(),
    );
    expect(compareScopes(needs.scopes, ['chat:write', 'commands', 'channels:history'])).toEqual({
      missing: ['chat:write.public', 'usergroups:read', 'users:read', 'users:read.email'],
      unneeded: ['channels:history'],
    });
  });

  it('requires users:read.email when the code reads a profile e-mail, even from users.info', () => {
    const source = 'const r = await client.users.info({ user });\nreturn r.user?.profile?.email;';
    const needs = computeScopeNeeds(
      findSlackMethodCalls(source),
      { hasSlashCommands: false },
      findFieldScopes(source),
    );
    expect([...needs.scopes].sort()).toEqual(['users:read', 'users:read.email']);
    expect(findFieldScopes('// profile.email in a comment only')).toEqual([]);
  });

  it('reports methods it has no scope for instead of guessing', () => {
    const needs = computeScopeNeeds(findSlackMethodCalls('client.files.uploadV2({})'), {
      hasSlashCommands: false,
    });
    expect(needs.unknownMethods).toEqual(['files.uploadV2']);
  });
});

describe('bot scopes in manifest.json match the Slack calls in src/', () => {
  const files = listTypeScriptFiles(join(root, 'src'));
  const sources = files.map((f) => readFileSync(f, 'utf8'));
  const methods = [...new Set(sources.flatMap(findSlackMethodCalls))].sort();
  const needs = computeScopeNeeds(
    methods,
    { hasSlashCommands: (manifest.features.slash_commands ?? []).length > 0 },
    sources.flatMap(findFieldScopes),
  );

  const requireCalls = () => {
    if (methods.length > 0) return;
    throw new Error(
      `Scanned ${files.length} file(s) under src/ and found no Slack Web API call ` +
        '(client.chat.postMessage(…), apiCall("chat.update"), a SLACK_METHODS list, say(…)). ' +
        'Either the Slack code is not written yet or the scanner in test/ship/slack-scopes.ts misses its call style: ' +
        'a scan that finds nothing proves nothing.',
    );
  };

  it('src/ makes Slack Web API calls at all', () => {
    requireCalls();
    expect(methods.length).toBeGreaterThan(0);
  });

  it('knows the scope of every method src/ calls', () => {
    expect(
      needs.unknownMethods,
      'add these methods and their bot scopes to test/ship/slack-scopes.ts',
    ).toEqual([]);
  });

  it('grants every needed scope and nothing more', () => {
    requireCalls();
    const granted = manifest.oauth_config.scopes.bot;
    const result = compareScopes(needs.scopes, granted);
    const explain = [...needs.reasons].map(([s, why]) => `${s}: ${why.join(', ')}`).join('\n');
    expect(result, `methods found: ${methods.join(', ')}\nneeded:\n${explain}`).toEqual({
      missing: [],
      unneeded: [],
    });
  });
});
