import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageRuntimeEnv } from '../harness/image-runtime.js';

function withDockerfile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'image-runtime-'));
  writeFileSync(join(dir, 'Dockerfile'), text);
  return dir;
}

describe('imageRuntimeEnv: the bench runs the bot as the image does', () => {
  it("takes NODE_OPTIONS and glibc's MALLOC_* from the runtime stage's ENV only", () => {
    const dir = withDockerfile(
      [
        'FROM node:24 AS build',
        'ENV NODE_OPTIONS="--build-only" MALLOC_ARENA_MAX=8',
        'FROM node:24-slim AS runtime',
        'ENV NODE_ENV=production \\',
        '    NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=128" \\',
        '    MALLOC_ARENA_MAX=2 \\',
        '    PORT=3000',
        'CMD ["node", "main.js"]',
      ].join('\n'),
    );
    expect(imageRuntimeEnv(dir)).toEqual({
      NODE_OPTIONS: '--max-semi-space-size=2 --max-old-space-size=128',
      MALLOC_ARENA_MAX: '2',
    });
  });

  it('gives an empty NODE_OPTIONS when the image sets none (the shell’s own must not leak in)', () => {
    const dir = withDockerfile('FROM node:24-slim\nENV PORT=3000\n');
    expect(imageRuntimeEnv(dir)).toEqual({ NODE_OPTIONS: '' });
  });

  it("reads this repository's Dockerfile: the heap is sized for a pod", () => {
    expect(imageRuntimeEnv(process.cwd()).NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
  });
});
