import { describe, expect, it } from 'vitest';
import { placeOf, summarizeProfile } from '../report/summarize-profile.js';

describe('placeOf', () => {
  it('names packages, our files and the engine', () => {
    expect(placeOf('file:///w/node_modules/@slack/web-api/dist/x.js', 'f')).toBe('@slack/web-api');
    expect(placeOf('file:///w/node_modules/ioredis/built/x.js', 'f')).toBe('ioredis');
    expect(
      placeOf('file:///w/node_modules/.cache/deploybot-bench/build-1/src/workers/card-service.js', 'f'),
    ).toBe('src/workers/card-service.js');
    expect(placeOf('node:internal/http', 'f')).toBe('node internals');
    expect(placeOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});

describe('summarizeProfile', () => {
  it('splits self time by place, leaves idle out, and charges callers in src/ with their callees', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 4] },
        { id: 2, callFrame: frame('publish', 'file:///w/src/workers/card-publisher.js'), children: [3] },
        { id: 3, callFrame: frame('write', 'file:///w/node_modules/ioredis/x.js') },
        { id: 4, callFrame: frame('(idle)', '') },
      ],
      samples: [3, 3, 2, 4],
      timeDeltas: [1000, 1000, 2000, 5000],
    };
    const summary = summarizeProfile(profile);
    expect(summary.busyMs).toBe(4);
    expect(summary.idleMs).toBe(5);
    expect(summary.selfByPlace).toEqual([
      { where: 'ioredis', ms: 2, share: 0.5 },
      { where: 'src/workers/card-publisher.js', ms: 2, share: 0.5 },
    ]);
    expect(summary.underOurFile).toEqual([{ where: 'src/workers/card-publisher.js', ms: 4, share: 1 }]);
  });
});
