/** What a `/deploy-status` text asks for. Pure: parsing never touches Argo CD or the store. */
const MAX_TOKEN = 200;
const MAX_TOKENS = 8;
const PREFIXED = /^(env|environment|project|app):(.+)$/i;
/** The text as typed, kept short enough for a button value and a header. */
export function normalizeStatusText(text) {
    return text.trim().replace(/\s+/g, ' ').slice(0, 500);
}
export function parseStatusQuery(rawText) {
    const text = normalizeStatusText(rawText ?? '');
    const tokens = text.split(' ').filter(Boolean);
    const first = tokens[0]?.toLowerCase();
    if (first === 'help' || first === '-h' || first === '--help' || first === '?')
        return { kind: 'help' };
    if (first === 'audit') {
        const app = tokens[1];
        if (!app || tokens.length > 2)
            return { kind: 'help', problem: '`audit` takes one application name: `/deploy-status audit <app>`' };
        if (app.length > MAX_TOKEN)
            return { kind: 'help', problem: 'That application name is too long.' };
        return { kind: 'audit', app };
    }
    if (tokens.length > MAX_TOKENS)
        return { kind: 'help', problem: 'Too many words in the query.' };
    const filter = {};
    let pendingOnly = false;
    let mine = false;
    for (const token of tokens) {
        if (token.length > MAX_TOKEN)
            return { kind: 'help', problem: 'A word in the query is too long.' };
        const lower = token.toLowerCase();
        if (lower === 'pending') {
            pendingOnly = true;
            continue;
        }
        if (lower === 'mine') {
            mine = true;
            continue;
        }
        const prefixed = PREFIXED.exec(token);
        const key = prefixed?.[1]?.toLowerCase();
        const value = prefixed?.[2];
        const slot = key === 'env' || key === 'environment'
            ? 'environment'
            : key === 'project'
                ? 'project'
                : key === 'app'
                    ? 'glob'
                    : 'term';
        if (filter[slot] !== undefined)
            return { kind: 'help', problem: `Use one filter of each kind; \`${token}\` is one too many.` };
        filter[slot] = value ?? token;
    }
    return { kind: 'list', filter, pendingOnly, mine, text };
}
/** A stable key for the answer cache: the same apps asked the same way. */
export function statusQueryKey(query, user) {
    const { filter } = query;
    return JSON.stringify([
        filter.environment ?? '',
        filter.project ?? '',
        filter.glob ?? '',
        filter.term ?? '',
        query.pendingOnly,
        query.mine ? user : '',
    ]);
}
