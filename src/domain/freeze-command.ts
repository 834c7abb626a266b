/**
 * `/deploy-freeze` as typed: what the text asks for, or why it is not a freeze command. Pure; the
 * environments are the policy's names, so an unknown one is answered with usage before anything else.
 *
 *   /deploy-freeze                           list the freezes in force (policy windows included)
 *   /deploy-freeze <env> <duration> <reason…>  freeze now, for 30m, 2h, 1d… (at most 14 days)
 *   /deploy-freeze off <env>                 end the Slack freeze of an environment
 *   /deploy-freeze help                      usage
 */

const FREEZE_MAX_MS = 14 * 86_400_000;
const FREEZE_REASON_MAX = 300;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
// Minutes, hours and days, alone or combined ("1d12h"); no seconds (a freeze shorter than a minute is a typo).
const DURATION = /^(?:\d{1,5}[mhd])+$/;

export type FreezeCommand =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'freeze'; environment: string; durationMs: number; reason: string }
  | { kind: 'off'; environment: string }
  | { kind: 'invalid'; problem: string };

/** Milliseconds of "30m", "2h", "1d", "1d12h"; undefined when malformed, zero, or over 14 days. */
export function parseFreezeDuration(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (!DURATION.test(lower)) return undefined;
  let total = 0;
  for (const [, amount, unit] of lower.matchAll(/(\d+)([mhd])/g))
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total > 0 && total <= FREEZE_MAX_MS ? total : undefined;
}

function unknownEnvironment(name: string, environments: readonly string[]): FreezeCommand {
  const known = environments.length ? environments.join(', ') : 'none';
  return { kind: 'invalid', problem: `"${name}" is not an environment of deploybot.yaml (known: ${known}).` };
}

export function parseFreezeCommand(text: string, environments: readonly string[]): FreezeCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, second, ...rest] = words;
  if (!first || (first.toLowerCase() === 'list' && words.length === 1)) return { kind: 'list' };
  if (first.toLowerCase() === 'help' && words.length === 1) return { kind: 'help' };
  if (first.toLowerCase() === 'off' && !environments.includes(first)) {
    if (!second || rest.length > 0)
      return { kind: 'invalid', problem: 'Say which environment: `/deploy-freeze off <env>`.' };
    return environments.includes(second)
      ? { kind: 'off', environment: second }
      : unknownEnvironment(second, environments);
  }
  if (!environments.includes(first)) return unknownEnvironment(first, environments);
  if (!second)
    return { kind: 'invalid', problem: 'Give a duration (30m, 2h, 1d; at most 14d) and a reason.' };
  const durationMs = parseFreezeDuration(second);
  if (durationMs === undefined)
    return {
      kind: 'invalid',
      problem: `"${second}" is not a freeze duration: write minutes, hours or days like 30m, 2h or 1d, at most 14d.`,
    };
  const reason = rest.join(' ').trim();
  if (!reason) return { kind: 'invalid', problem: 'Give a reason: it is shown on every card and refusal.' };
  if (reason.length > FREEZE_REASON_MAX)
    return { kind: 'invalid', problem: `Keep the reason under ${FREEZE_REASON_MAX} characters.` };
  return { kind: 'freeze', environment: first, durationMs, reason };
}
