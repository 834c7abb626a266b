// Which bot scopes the code needs, worked out from the Slack Web API calls it makes.
// Scopes per method: the "Required scopes" (granular bot token) of each method's page on docs.slack.dev.

const SLACK_METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  'chat.delete': ['chat:write'],
  'chat.getPermalink': [],
  'chat.meMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.postMessage': ['chat:write'],
  'chat.scheduleMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.history': ['channels:history'],
  'conversations.info': ['channels:read'],
  'conversations.join': ['channels:join'],
  'conversations.list': ['channels:read'],
  'conversations.members': ['channels:read'],
  'conversations.open': ['im:write'],
  'conversations.replies': ['channels:history'],
  'reactions.add': ['reactions:write'],
  'reactions.get': ['reactions:read'],
  'reactions.remove': ['reactions:write'],
  'team.info': ['team:read'],
  'usergroups.list': ['usergroups:read'],
  'usergroups.users.list': ['usergroups:read'],
  'users.conversations': ['channels:read'],
  'users.getPresence': ['users:read'],
  'users.info': ['users:read'],
  'users.list': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'users.profile.get': ['users.profile:read'],
  'views.open': [],
  'views.publish': [],
  'views.push': [],
  'views.update': [],
};

const FAMILIES =
  'chat|views|usergroups|users|reactions|conversations|auth|team|files|pins|bookmarks|reminders|dnd|emoji|apps';
// `client.chat.postMessage(` and `app.client.usergroups.users.list(`.
const CALL_PATTERN = new RegExp(`\\b((?:${FAMILIES})(?:\\.[a-zA-Z][a-zA-Z0-9]*)+)\\(`, 'g');
// `apiCall('chat.update', ...)` and method names kept in a list such as SLACK_METHODS.
const QUOTED_PATTERN = new RegExp(`['"\`]((?:${FAMILIES})(?:\\.[a-zA-Z][a-zA-Z0-9]*)+)['"\`]`, 'g');
// Bolt's `say()` is chat.postMessage into the conversation of the event.
const SAY_PATTERN = /(?<![\w$.])say\(/;

// `approvers.users.includes(id)` is a JavaScript call on a collection, not the Slack method `users.includes`.
const BUILT_IN_METHODS = new Set(
  [
    Array.prototype,
    Map.prototype,
    Set.prototype,
    String.prototype,
    Object.prototype,
    Promise.prototype,
  ].flatMap((p) => Object.getOwnPropertyNames(p)),
);

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Slack Web API method names that a TypeScript source calls, in order of first appearance. */
export function findSlackMethodCalls(source: string): string[] {
  const code = stripComments(source);
  const found = new Set<string>();
  for (const match of code.matchAll(CALL_PATTERN)) {
    const name = match[1] ?? '';
    const last = name.slice(name.lastIndexOf('.') + 1);
    if (!(name in SLACK_METHOD_SCOPES) && BUILT_IN_METHODS.has(last)) continue;
    found.add(name);
  }
  for (const match of code.matchAll(QUOTED_PATTERN)) found.add(match[1] ?? '');
  if (SAY_PATTERN.test(code)) found.add('chat.postMessage');
  return [...found];
}

// Scopes that depend on which fields of an answer the code reads, not on the method it calls.
const FIELD_SCOPES: readonly { pattern: RegExp; scope: string; why: string }[] = [
  {
    pattern: /\bprofile\??\.email\b/,
    scope: 'users:read.email',
    why: 'reads user.profile.email, which Slack fills only for users:read.email',
  },
];

/** Scopes needed for the answer fields a source reads, each with its reason. */
export function findFieldScopes(source: string): { scope: string; why: string }[] {
  const code = stripComments(source);
  return FIELD_SCOPES.filter((f) => f.pattern.test(code)).map(({ scope, why }) => ({ scope, why }));
}

export interface ScopeNeeds {
  scopes: Set<string>;
  /** Why each scope is needed, for the failure message. */
  reasons: Map<string, string[]>;
  /** Methods the table above does not know: their scopes cannot be checked. */
  unknownMethods: string[];
}

/** The bot scopes needed by these methods, plus the ones the manifest's own features imply. */
export function computeScopeNeeds(
  methods: readonly string[],
  features: { hasSlashCommands: boolean },
  fieldScopes: readonly { scope: string; why: string }[] = [],
): ScopeNeeds {
  const reasons = new Map<string, string[]>();
  const need = (scope: string, why: string) =>
    reasons.set(scope, [...new Set([...(reasons.get(scope) ?? []), why])]);
  for (const { scope, why } of fieldScopes) need(scope, why);
  const unknownMethods: string[] = [];
  for (const method of methods) {
    const scopes = SLACK_METHOD_SCOPES[method];
    if (!scopes) {
      unknownMethods.push(method);
      continue;
    }
    for (const scope of scopes) need(scope, method);
  }
  // Cards go to the channels named in deploybot.yaml, which the bot has usually not joined.
  if (methods.includes('chat.postMessage'))
    need('chat:write.public', 'chat.postMessage to configured channels');
  if (features.hasSlashCommands) need('commands', 'the manifest declares a slash command');
  // Slack grants users:read.email only together with users:read.
  if (reasons.has('users:read.email')) need('users:read', 'users:read.email depends on it');
  return { scopes: new Set(reasons.keys()), reasons, unknownMethods };
}

export function compareScopes(
  needed: ReadonlySet<string>,
  granted: readonly string[],
): { missing: string[]; unneeded: string[] } {
  return {
    missing: [...needed].filter((s) => !granted.includes(s)).sort(),
    unneeded: granted.filter((s) => !needed.has(s)).sort(),
  };
}
