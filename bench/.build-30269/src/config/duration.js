const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;
/** Parses durations written like Go/Argo CD ones ("90s", "30m", "1h30m", "2d"); undefined when malformed. */
export function parseDuration(text) {
    const trimmed = text.trim();
    if (!DURATION.test(trimmed))
        return undefined;
    let total = 0;
    for (const [, amount, unit] of trimmed.matchAll(PART))
        total += Number(amount) * UNIT_MS[unit];
    return total;
}
/** Renders milliseconds as a short human duration ("1h 5m", "45s"). */
export function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.max(0, Math.round(ms))}ms`;
    const parts = [];
    let rest = Math.round(ms / 1000);
    for (const [unit, size] of [
        ['d', 86_400],
        ['h', 3_600],
        ['m', 60],
        ['s', 1],
    ]) {
        const n = Math.floor(rest / size);
        if (n > 0)
            parts.push(`${n}${unit}`);
        rest -= n * size;
    }
    return parts.slice(0, 2).join(' ');
}
