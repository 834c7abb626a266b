import type { Octokit } from 'octokit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeGitHub, FakeRepo } from '../../../sandbox/fake-github/index.js';
import { ALICE, BOB, minute, startFake } from './helpers.js';

describe('git data API', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  let repo: FakeRepo;
  let good: string;
  const where = { owner: 'acme', repo: 'gitops' };

  beforeEach(async () => {
    ({ fake, octokit } = await startFake());
    repo = fake.repo('acme/gitops');
    good = repo.commit({
      message: 'Deploy app 1.0',
      author: ALICE,
      files: {
        'k8s/app/deployment.yaml': 'image: app:1.0\nreplicas: 2\n',
        'k8s/app/service.yaml': 'port: 80\n',
        'k8s/other/deployment.yaml': 'image: other:1\n',
      },
      date: minute(0),
    });
    repo.commit({
      message: 'Deploy app 1.1 (bad)',
      author: BOB,
      files: {
        'k8s/app/deployment.yaml': 'image: app:1.1\nreplicas: 2\n',
        'k8s/app/extra.yaml': 'debug: true\n',
      },
      date: minute(1),
    });
    repo.commit({
      message: 'Bump other',
      author: BOB,
      files: { 'k8s/other/deployment.yaml': 'image: other:2\n' },
      date: minute(2),
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('builds a revert branch and pull request that restore one path to an old revision', async () => {
    const ref = await octokit.rest.git.getRef({ ...where, ref: 'heads/main' });
    const headSha = ref.data.object.sha;
    const head = await octokit.rest.git.getCommit({ ...where, commit_sha: headSha });
    const oldTree = await octokit.rest.git.getTree({ ...where, tree_sha: good, recursive: '1' });
    const headTree = await octokit.rest.git.getTree({
      ...where,
      tree_sha: head.data.tree.sha,
      recursive: '1',
    });
    const inPath = (path: string) => path.startsWith('k8s/app/');
    const oldFiles = oldTree.data.tree.filter((entry) => entry.type === 'blob' && inPath(entry.path));
    const removed = headTree.data.tree.filter(
      (entry) =>
        entry.type === 'blob' && inPath(entry.path) && !oldFiles.some((old) => old.path === entry.path),
    );
    const tree = await octokit.rest.git.createTree({
      ...where,
      base_tree: head.data.tree.sha,
      tree: [
        ...oldFiles.map((entry) => ({
          path: entry.path,
          mode: '100644' as const,
          type: 'blob' as const,
          sha: entry.sha,
        })),
        ...removed.map((entry) => ({
          path: entry.path,
          mode: '100644' as const,
          type: 'blob' as const,
          sha: null,
        })),
      ],
    });
    const commit = await octokit.rest.git.createCommit({
      ...where,
      message: `Revert k8s/app to ${good.slice(0, 7)}`,
      tree: tree.data.sha,
      parents: [headSha],
    });
    await octokit.rest.git.createRef({ ...where, ref: 'refs/heads/revert-app', sha: commit.data.sha });
    const pull = await octokit.rest.pulls.create({
      ...where,
      head: 'revert-app',
      base: 'main',
      title: 'Revert app to 1.0',
    });

    expect(removed.map((entry) => entry.path)).toEqual(['k8s/app/extra.yaml']);
    expect(repo.fileAt('revert-app', 'k8s/app/deployment.yaml')).toBe(
      repo.fileAt(good, 'k8s/app/deployment.yaml'),
    );
    expect(repo.fileAt('revert-app', 'k8s/app/extra.yaml')).toBeUndefined();
    expect(repo.fileAt('revert-app', 'k8s/other/deployment.yaml')).toBe('image: other:2\n');
    expect(pull.data).toMatchObject({
      number: 1,
      state: 'open',
      head: { ref: 'revert-app', sha: commit.data.sha },
      base: { ref: 'main', sha: headSha },
      commits: 1,
      changed_files: 2,
    });
    expect(commit.data.author).toMatchObject({ name: 'deploybot[bot]' });
    expect(fake.pulls('acme/gitops').map((record) => [record.title, record.headRef, record.commits])).toEqual(
      [['Revert app to 1.0', 'revert-app', [commit.data.sha]]],
    );
    const listed = await octokit.rest.pulls.list({ ...where, head: 'acme:revert-app' });
    expect(listed.data.map((item) => item.number)).toEqual([1]);
    await expect(
      octokit.rest.pulls.create({ ...where, head: 'revert-app', base: 'main', title: 'again' }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('fast-forwards a ref with force:false and refuses a non-fast-forward with 422', async () => {
    const headSha = repo.headOf('main')!;
    await expect(
      octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: good, force: false }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Update is not a fast forward' } },
    });
    expect(repo.headOf('main')).toBe(headSha);

    const tree = await octokit.rest.git.createTree({
      ...where,
      base_tree: (await octokit.rest.git.getCommit({ ...where, commit_sha: headSha })).data.tree.sha,
      tree: [{ path: 'NOTES.md', mode: '100644', type: 'blob', content: 'hello\n' }],
    });
    const next = await octokit.rest.git.createCommit({
      ...where,
      message: 'Notes',
      tree: tree.data.sha,
      parents: [headSha],
    });
    const moved = await octokit.rest.git.updateRef({
      ...where,
      ref: 'heads/main',
      sha: next.data.sha,
      force: false,
    });
    expect(moved.data.object.sha).toBe(next.data.sha);

    const forced = await octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: good, force: true });
    expect(forced.data.object.sha).toBe(good);
  });

  it('rejects an existing ref, a missing parent and a missing tree', async () => {
    await expect(
      octokit.rest.git.createRef({ ...where, ref: 'refs/heads/main', sha: good }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Reference already exists' } },
    });
    await expect(octokit.rest.git.getRef({ ...where, ref: 'heads/nope' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.rest.git.createCommit({ ...where, message: 'x', tree: 'a'.repeat(40), parents: [good] }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('hashes blobs, trees and commits like git', async () => {
    const blob = await octokit.rest.git.createBlob({ ...where, content: 'hello\n' });
    // `printf 'hello\n' | git hash-object --stdin`
    expect(blob.data.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    const read = await octokit.rest.git.getBlob({ ...where, file_sha: blob.data.sha });
    expect(Buffer.from(read.data.content, 'base64').toString()).toBe('hello\n');
    const empty = await octokit.rest.git.createTree({ ...where, tree: [] });
    expect(empty.data.sha).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });

  it('lists a recursive tree with directories before their files', async () => {
    const { data } = await octokit.rest.git.getTree({ ...where, tree_sha: 'main', recursive: 'true' });
    expect(data.tree.map((entry) => `${entry.type}:${entry.path}`)).toEqual([
      'tree:k8s',
      'tree:k8s/app',
      'blob:k8s/app/deployment.yaml',
      'blob:k8s/app/extra.yaml',
      'blob:k8s/app/service.yaml',
      'tree:k8s/other',
      'blob:k8s/other/deployment.yaml',
    ]);
    expect(data.truncated).toBe(false);
  });
});
