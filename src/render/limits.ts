/**
 * Block Kit limits (docs.slack.dev "Blocks" and the `@slack/types` doc comments). Slack rejects a whole
 * message when one of these is exceeded, so every builder in src/render cuts to them.
 */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  /** Slack allows more in a message's top-level `text`; we keep the fallback short enough for any surface. */
  messageText: 3000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  headerText: 150,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  id: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  plainTextInputMax: 3000,
} as const;

const ELLIPSIS = '…';

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts `text` to at most `max` UTF-16 units (what Slack counts), never inside a surrogate pair, marking the cut with "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  let end = max - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * Like `truncate`, for mrkdwn: never leaves half an entity (`&am…`) or half a link/mention (`<https://…`),
 * which Slack would render as garbage or reject.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = truncate(text, max).slice(0, -1);
  const openAngle = kept.lastIndexOf('<');
  if (openAngle > kept.lastIndexOf('>')) kept = kept.slice(0, openAngle);
  const amp = kept.lastIndexOf('&');
  if (amp >= 0 && !kept.slice(amp).includes(';') && kept.length - amp <= 6) kept = kept.slice(0, amp);
  return kept + ELLIPSIS;
}

/**
 * Joins lines under a character budget and an item cap. Lines that do not fit are counted into
 * "and N more" (with `hiddenExtra` items that were never passed in, e.g. commits beyond the fetched page).
 */
export function joinCapped(
  lines: readonly string[],
  options: { maxChars: number; maxItems: number; hiddenExtra?: number; moreLabel?: (n: number) => string },
): string {
  const more = options.moreLabel ?? ((n: number) => `_and ${n} more_`);
  const reserve = more(lines.length + (options.hiddenExtra ?? 0)).length + 1;
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (kept.length >= options.maxItems) break;
    const cost = line.length + (kept.length > 0 ? 1 : 0);
    if (used + cost > options.maxChars - reserve) break;
    kept.push(line);
    used += cost;
  }
  const hidden = lines.length - kept.length + (options.hiddenExtra ?? 0);
  if (hidden > 0) kept.push(more(hidden));
  return kept.join('\n');
}
