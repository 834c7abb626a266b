import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileNamePattern,
  MAX_PATTERN_LENGTH,
  NamePatternError,
  namePatternProblem,
} from '../../../src/domain/name-pattern.js';

describe('name patterns', () => {
  it.each([
    ['*-prod', 'event-ingestion-prod', true],
    ['*-prod', 'event-ingestion-prod-2', false],
    ['event-*', 'event-', true],
    ['event-?', 'event-a', true],
    ['event-?', 'event-ab', false],
    ['*', '', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbYcd', false],
    ['**x', 'abcx', true],
    ['kafka-prod', 'kafka-prod', true],
    ['kafka-prod', 'kafka-prod1', false],
    ['*.prod', 'a.prod', true],
    // A dot is literal, not "any character".
    ['a.b', 'axb', false],
    ['?', '', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(compileNamePattern(pattern)(name)).toBe(expected);
  });

  it('is case sensitive unless asked otherwise', () => {
    expect(compileNamePattern('Event-*')('event-x')).toBe(false);
    expect(compileNamePattern('Event-*', { nocase: true })('EVENT-x')).toBe(true);
    expect(compileNamePattern('KAFKA', { nocase: true })('kafka')).toBe(true);
  });

  it('refuses every other glob syntax instead of compiling it', () => {
    for (const pattern of ['@(a|b)', '+(x)', '!(x)', '{a,b}', '[ab]', 'a/b', 'a\\b', 'a b', 'ä', '']) {
      expect(namePatternProblem(pattern)).toBeDefined();
      expect(() => compileNamePattern(pattern)).toThrow(NamePatternError);
    }
    expect(namePatternProblem('x'.repeat(MAX_PATTERN_LENGTH))).toBeUndefined();
    expect(namePatternProblem('x'.repeat(MAX_PATTERN_LENGTH + 1))).toBe('too-long');
  });

  it('agrees with a reference regular expression on random patterns and names', () => {
    const alphabet = fc.constantFrom('a', 'b', '-', '*', '?');
    fc.assert(
      fc.property(
        fc.array(alphabet, { minLength: 1, maxLength: 12 }).map((c) => c.join('')),
        fc.array(fc.constantFrom('a', 'b', '-'), { maxLength: 16 }).map((c) => c.join('')),
        (pattern, name) => {
          const reference = new RegExp(
            `^${pattern.replace(/[-]/g, '\\-').replace(/\*/g, '.*').replace(/\?/g, '.')}$`,
            's',
          );
          expect(compileNamePattern(pattern)(name)).toBe(reference.test(name));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('takes time linear in the name for the patterns that made picomatch backtrack', () => {
    // 100 stars and a final miss: a backtracking matcher explores exponentially many splits.
    const hostile = `${'*a'.repeat(49)}*x`;
    const match = compileNamePattern(hostile);
    const name = 'a'.repeat(253);
    // Counting work, not time: the matcher is O(name × pattern), so this finishes at once; a
    // regression to backtracking would not finish within the test timeout.
    expect(match(name)).toBe(false);
    expect(match(`${name}x`)).toBe(true);
  });
});
