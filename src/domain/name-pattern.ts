/**
 * Name patterns from users and from the policy file: `*` (any run of characters) and `?` (one
 * character) are the only wildcards, everything else is literal. Matching simulates the pattern as
 * a set of positions, so its time is linear in the name for any pattern (no backtracking: a
 * hostile `/deploy-status` text cannot hold the event loop, as picomatch extglobs could).
 */

/** Longest pattern accepted; a name pattern longer than this is refused before it is compiled. */
export const MAX_PATTERN_LENGTH = 100;

/**
 * Characters a pattern may hold: those of Kubernetes/Argo CD names (DNS-1123, plus `_` and upper
 * case, which some operators use in project names) and the two wildcards.
 */
const ALLOWED = /^[A-Za-z0-9._*?-]+$/;

export type NamePatternProblem = 'empty' | 'too-long' | 'bad-characters';

export function namePatternProblem(pattern: string): NamePatternProblem | undefined {
  if (pattern.length === 0) return 'empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return 'too-long';
  if (!ALLOWED.test(pattern)) return 'bad-characters';
  return undefined;
}

/** Why a pattern is refused, in words for a Slack answer or a policy-file error. */
export function describeNamePatternProblem(problem: NamePatternProblem): string {
  switch (problem) {
    case 'empty':
      return 'a name pattern cannot be empty';
    case 'too-long':
      return `a name pattern may be at most ${MAX_PATTERN_LENGTH} characters`;
    case 'bad-characters':
      return 'a name pattern may hold only letters, digits, ".", "-", "_" and the wildcards "*" and "?"';
  }
}

export class NamePatternError extends Error {
  readonly code = 'name_pattern_invalid';
  constructor(
    readonly pattern: string,
    readonly problem: NamePatternProblem,
  ) {
    super(describeNamePatternProblem(problem));
  }
}

export type NameMatcher = (name: string) => boolean;

type Token = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; char: string };

function tokenize(pattern: string, nocase: boolean): Token[] {
  const tokens: Token[] = [];
  for (const char of pattern) {
    if (char === '*') {
      // `**` means the same as `*`; collapsing keeps the position set small.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') tokens.push({ kind: 'any' });
    else tokens.push({ kind: 'char', char: nocase ? char.toLowerCase() : char });
  }
  return tokens;
}

/**
 * Compiles a validated pattern; throws NamePatternError for one that `namePatternProblem` refuses,
 * so a caller cannot forget the check.
 */
export function compileNamePattern(pattern: string, { nocase = false } = {}): NameMatcher {
  const problem = namePatternProblem(pattern);
  if (problem) throw new NamePatternError(pattern, problem);
  const tokens = tokenize(pattern, nocase);
  const literal = tokens.every((t) => t.kind === 'char');
  if (literal) {
    const text = nocase ? pattern.toLowerCase() : pattern;
    return (name) => (nocase ? name.toLowerCase() : name) === text;
  }
  const end = tokens.length;
  // States are token indexes; reaching `end` after the last character means a match.
  const closure = (states: Uint8Array, from: number): void => {
    let i = from;
    while (i < end && tokens[i]?.kind === 'star' && states[i + 1] === 0) {
      states[i + 1] = 1;
      i += 1;
    }
  };
  return (rawName) => {
    const name = nocase ? rawName.toLowerCase() : rawName;
    let current = new Uint8Array(end + 1);
    let next = new Uint8Array(end + 1);
    current[0] = 1;
    closure(current, 0);
    for (const char of name) {
      next.fill(0);
      let any = false;
      for (let i = 0; i < end; i += 1) {
        if (current[i] === 0) continue;
        const token = tokens[i] as Token;
        if (token.kind === 'star') {
          next[i] = 1;
          closure(next, i);
          any = true;
        } else if (token.kind === 'any' || token.char === char) {
          next[i + 1] = 1;
          closure(next, i + 1);
          any = true;
        }
      }
      if (!any) return false;
      [current, next] = [next, current];
    }
    return current[end] === 1;
  };
}
