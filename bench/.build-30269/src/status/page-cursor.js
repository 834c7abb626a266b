/** The Next button's value: the query as typed and where the next page starts. Nothing else, so it grants nothing. */
import { LIMITS } from '../render/limits.js';
import { normalizeStatusText } from './status-query.js';
export function encodePageCursor(cursor) {
    // normalizeStatusText caps the query at 500 characters: even fully escaped it stays under Slack's 2,000.
    return JSON.stringify({ q: normalizeStatusText(cursor.query), o: cursor.offset });
}
export function decodePageCursor(value) {
    if (!value || value.length > LIMITS.buttonValue)
        return undefined;
    try {
        const parsed = JSON.parse(value);
        if (typeof parsed.q !== 'string' ||
            typeof parsed.o !== 'number' ||
            !Number.isInteger(parsed.o) ||
            parsed.o < 0)
            return undefined;
        return { query: parsed.q, offset: parsed.o };
    }
    catch {
        return undefined;
    }
}
