import { describe, expect, it } from 'vitest';
import { decodePageCursor, encodePageCursor } from '../../../src/status/page-cursor.js';
import { parseStatusQuery, statusQueryKey } from '../../../src/status/status-query.js';

describe('parseStatusQuery', () => {
  it('reads the plain forms', () => {
    expect(parseStatusQuery('')).toEqual({
      kind: 'list',
      filter: {},
      pendingOnly: false,
      mine: false,
      text: '',
    });
    expect(parseStatusQuery('  prod   pending ')).toEqual({
      kind: 'list',
      filter: { term: 'prod' },
      pendingOnly: true,
      mine: false,
      text: 'prod pending',
    });
    expect(parseStatusQuery('mine')).toMatchObject({ kind: 'list', mine: true, filter: {} });
    expect(parseStatusQuery('event-*')).toMatchObject({ filter: { term: 'event-*' } });
    expect(parseStatusQuery('HELP')).toEqual({ kind: 'help' });
    expect(parseStatusQuery('audit kafka-prod')).toEqual({ kind: 'audit', app: 'kafka-prod' });
  });

  it('takes explicit env:, project: and app: filters together', () => {
    expect(parseStatusQuery('env:prod project:gamemetrics app:event-*')).toMatchObject({
      filter: { environment: 'prod', project: 'gamemetrics', glob: 'event-*' },
    });
  });

  it('explains what is wrong instead of guessing', () => {
    expect(parseStatusQuery('audit')).toMatchObject({
      kind: 'help',
      problem: expect.stringContaining('one application'),
    });
    expect(parseStatusQuery('audit a b')).toMatchObject({ kind: 'help' });
    expect(parseStatusQuery('prod dev')).toMatchObject({
      kind: 'help',
      problem: expect.stringContaining('`dev`'),
    });
    expect(parseStatusQuery(`${'x'.repeat(201)}`)).toMatchObject({ kind: 'help' });
    expect(parseStatusQuery('x'.repeat(100))).toMatchObject({ kind: 'list' });
    expect(parseStatusQuery('x'.repeat(101))).toMatchObject({
      kind: 'help',
      problem: expect.stringContaining('at most 100 characters'),
    });
    expect(parseStatusQuery('a b c d e f g h i')).toMatchObject({ kind: 'help' });
  });

  it('refuses every pattern syntax but * and ?, in any slot', () => {
    for (const text of [
      `app:${'@(*|*|*|*)'.repeat(7)}x`,
      '{a,b}-prod',
      'kafka-[dp]',
      'env:pr(o)d',
      'project:a|b',
      'audit kafka-*',
      'audit <@U0ALICE>',
    ])
      expect(parseStatusQuery(text), text).toMatchObject({ kind: 'help', problem: expect.any(String) });
    expect(parseStatusQuery('app:event-?-prod')).toMatchObject({
      kind: 'list',
      filter: { glob: 'event-?-prod' },
    });
  });

  it('keys the cache by what is asked, and by the asker only for "mine"', () => {
    const a = parseStatusQuery('prod pending');
    const b = parseStatusQuery('prod  pending');
    const mine = parseStatusQuery('mine');
    if (a.kind !== 'list' || b.kind !== 'list' || mine.kind !== 'list') throw new Error('list expected');
    expect(statusQueryKey(a, 'U1')).toBe(statusQueryKey(b, 'U2'));
    expect(statusQueryKey(mine, 'U1')).not.toBe(statusQueryKey(mine, 'U2'));
  });
});

describe('page cursor', () => {
  it('round-trips and stays under the 2,000-character button value limit for any query', () => {
    expect(decodePageCursor(encodePageCursor({ query: 'prod', offset: 40 }))).toEqual({
      query: 'prod',
      offset: 40,
    });
    const worst = encodePageCursor({ query: '"\\'.repeat(2000), offset: 1980 });
    expect(worst.length).toBeLessThanOrEqual(2000);
    expect(decodePageCursor(worst)?.offset).toBe(1980);
  });

  it('refuses anything else', () => {
    for (const bad of [
      undefined,
      '',
      'x',
      '{"q":1,"o":2}',
      '{"q":"a","o":-1}',
      '{"q":"a","o":1.5}',
      'x'.repeat(2001),
    ])
      expect(decodePageCursor(bad)).toBeUndefined();
  });
});

describe('parseStatusQuery: <instance>/<app>', () => {
  it('addresses one instance for a list and for an audit', () => {
    expect(parseStatusQuery('eu/api-*')).toMatchObject({
      kind: 'list',
      filter: { instance: 'eu', glob: 'api-*' },
    });
    expect(parseStatusQuery('app:us-west/api prod')).toMatchObject({
      kind: 'list',
      filter: { instance: 'us-west', glob: 'api', term: 'prod' },
    });
    expect(parseStatusQuery('audit us/api')).toEqual({ kind: 'audit', app: 'api', instance: 'us' });
  });

  it('refuses a malformed instance part, two instances, or an instance on an environment', () => {
    for (const text of ['EU/api', 'eu/', '/api', 'eu/us/api', 'env:eu/prod', 'eu/a us/b', 'audit eu/api-*'])
      expect(parseStatusQuery(text), text).toMatchObject({ kind: 'help' });
  });
});
