import { Octokit } from 'octokit';
import {
  type FakeGitHub,
  type FakeGitHubOptions,
  type FakeRepo,
  startFakeGitHub,
} from '../../../sandbox/fake-github/index.js';

export const TOKEN = 'ghp_fake_token';
export const ALICE = { login: 'alice', name: 'Alice Example', email: 'alice@example.com' };
export const BOB = { login: 'bob', name: 'Bob Example', email: 'bob@example.com' };
const START = Date.parse('2026-03-02T09:00:00Z');

export function createOctokit(fake: FakeGitHub, auth = TOKEN): Octokit {
  return new Octokit({ auth, baseUrl: fake.url, retry: { enabled: false }, throttle: { enabled: false } });
}

export async function startFake(options: FakeGitHubOptions = {}) {
  const fake = await startFakeGitHub({ token: TOKEN, ...options });
  return { fake, octokit: createOctokit(fake) };
}

/** The n-th minute after START, so commit order and shas are the same on every run. */
export function minute(n: number): Date {
  return new Date(START + n * 60_000);
}

/** `count` commits on a branch, each bumping the image tag of one manifest; returns their shas, oldest first. */
export function commitImageBumps(
  repo: FakeRepo,
  count: number,
  options: { from?: number; branch?: string } = {},
) {
  const from = options.from ?? 0;
  const shas: string[] = [];
  for (let index = from; index < from + count; index += 1) {
    shas.push(
      repo.commit({
        message: `Bump image to ${index}`,
        author: index % 2 === 0 ? ALICE : BOB,
        files: { 'k8s/app/deployment.yaml': `image: registry.example.com/app:${index}\n` },
        date: minute(index),
        ...(options.branch ? { branch: options.branch } : {}),
      }),
    );
  }
  return shas;
}
