/**
 * Slack renders `:name:` emoji codes in mrkdwn; the console shows the ones deploybot writes (the fleet card's
 * state lines) as the characters Slack would draw. Unknown names stay as typed, as Slack shows an emoji it
 * does not know.
 */
const EMOJI: Readonly<Record<string, string>> = {
  arrows_counterclockwise: '🔄',
  fast_forward: '⏩',
  hourglass_flowing_sand: '⏳',
  no_entry: '⛔',
  octagonal_sign: '🛑',
  rewind: '⏪',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
};

/** Replaces every known `:name:` in `text` with its emoji. */
export function renderEmojiCodes(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole: string, name: string) => EMOJI[name] ?? whole);
}
