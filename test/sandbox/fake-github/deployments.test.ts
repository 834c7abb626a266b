import type { Octokit } from 'octokit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeGitHub, FakeRepo } from '../../../sandbox/fake-github/index.js';
import { ALICE, commitImageBumps, minute, startFake } from './helpers.js';

describe('deployments', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  let repo: FakeRepo;
  let shas: string[];
  const where = { owner: 'acme', repo: 'gitops' };

  beforeEach(async () => {
    ({ fake, octokit } = await startFake());
    repo = fake.repo('acme/gitops');
    shas = commitImageBumps(repo, 3);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('creates the recommended deploy record and lists it', async () => {
    const head = shas[2]!;
    repo.setStatuses(head, [{ context: 'ci/scan', state: 'failure' }]);
    const created = await octokit.rest.repos.createDeployment({
      ...where,
      ref: head,
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      production_environment: true,
      description: 'event-ingestion-prod',
      payload: { app: 'event-ingestion-prod' },
    });
    expect(created.status).toBe(201);
    if (created.status !== 201) return;
    expect(created.data).toMatchObject({
      sha: head,
      ref: head,
      task: 'deploy',
      environment: 'production',
      production_environment: true,
      transient_environment: false,
      payload: { app: 'event-ingestion-prod' },
      creator: { login: 'deploybot[bot]', type: 'Bot' },
    });
    const listed = await octokit.rest.repos.listDeployments({ ...where, environment: 'production' });
    expect(listed.data.map((deployment) => deployment.id)).toEqual([created.data.id]);
    expect(fake.deployments('acme/gitops')[0]?.description).toBe('event-ingestion-prod');
  });

  it('refuses with 409 when required_contexts is omitted and a status is not green; [] bypasses', async () => {
    const head = shas[2]!;
    repo.setStatuses(head, [
      { context: 'ci/build', state: 'success' },
      { context: 'ci/scan', state: 'pending' },
    ]);
    await expect(
      octokit.rest.repos.createDeployment({ ...where, ref: head, auto_merge: false }),
    ).rejects.toMatchObject({
      status: 409,
      response: {
        data: {
          message: `Conflict: Commit status checks failed for ${head}.`,
          errors: [{ contexts: [{ context: 'ci/scan', state: 'pending' }], field: 'required_contexts' }],
        },
      },
    });
    const bypass = await octokit.rest.repos.createDeployment({
      ...where,
      ref: head,
      auto_merge: false,
      required_contexts: [],
    });
    expect(bypass.status).toBe(201);
    await expect(
      octokit.rest.repos.createDeployment({
        ...where,
        ref: head,
        auto_merge: false,
        required_contexts: ['ci/e2e'],
      }),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('treats an omitted auto_merge as true: an old sha behind main is a 409, auto_merge:false deploys it', async () => {
    const old = shas[0]!;
    await expect(
      octokit.rest.repos.createDeployment({ ...where, ref: old, required_contexts: [] }),
    ).rejects.toMatchObject({
      status: 409,
      response: { data: { message: `Conflict merging main into ${old}.` } },
    });
    const rollback = await octokit.rest.repos.createDeployment({
      ...where,
      ref: old,
      auto_merge: false,
      required_contexts: [],
    });
    expect(rollback.status).toBe(201);
  });

  it('auto-merges the default branch into a branch ref that is behind: 202, a merge commit and no deployment', async () => {
    repo.setBranch('release', shas[0]!);
    const releaseOnly = repo.commit({
      message: 'Release notes',
      author: ALICE,
      branch: 'release',
      files: { 'NOTES.md': 'v1\n' },
      date: minute(30),
    });
    const response = await octokit.rest.repos.createDeployment({
      ...where,
      ref: 'release',
      required_contexts: [],
    });
    expect(response.status).toBe(202);
    expect(response.data).toEqual({ message: 'Auto-merged main into release on deployment.' });
    expect(fake.deployments('acme/gitops')).toEqual([]);
    const mergeCommit = repo.headOf('release')!;
    const merge = await octokit.rest.git.getCommit({ ...where, commit_sha: mergeCommit });
    expect(merge.data.parents.map((parent) => parent.sha)).toEqual([releaseOnly, shas[2]]);
    expect(repo.fileAt('release', 'NOTES.md')).toBe('v1\n');
    expect(repo.fileAt('release', 'k8s/app/deployment.yaml')).toBe(
      repo.fileAt('main', 'k8s/app/deployment.yaml'),
    );

    const again = await octokit.rest.repos.createDeployment({
      ...where,
      ref: 'release',
      required_contexts: [],
    });
    expect(again.status).toBe(201);
  });

  it('records statuses newest first, rejects a description over 140 characters and an unknown state', async () => {
    const deployment = await octokit.rest.repos.createDeployment({
      ...where,
      ref: shas[2]!,
      auto_merge: false,
      required_contexts: [],
    });
    if (deployment.status !== 201) throw new Error('expected a deployment');
    const id = deployment.data.id;
    await octokit.rest.repos.createDeploymentStatus({
      ...where,
      deployment_id: id,
      state: 'in_progress',
      log_url: 'https://argocd.example.com/applications/argocd/app',
    });
    const success = await octokit.rest.repos.createDeploymentStatus({
      ...where,
      deployment_id: id,
      state: 'success',
      description: 'x'.repeat(140),
      environment_url: 'https://app.example.com',
    });
    expect(success.data).toMatchObject({
      state: 'success',
      environment: 'production',
      environment_url: 'https://app.example.com',
    });

    await expect(
      octokit.rest.repos.createDeploymentStatus({
        ...where,
        deployment_id: id,
        state: 'failure',
        description: 'x'.repeat(141),
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [{ resource: 'DeploymentStatus', field: 'description' }],
        },
      },
    });
    await expect(
      octokit.request(`POST /repos/acme/gitops/deployments/${id}/statuses`, { state: 'done' }),
    ).rejects.toMatchObject({ status: 422 });

    const statuses = await octokit.rest.repos.listDeploymentStatuses({ ...where, deployment_id: id });
    expect(statuses.data.map((status) => status.state)).toEqual(['success', 'in_progress']);
    expect(statuses.data[1]).toMatchObject({
      log_url: 'https://argocd.example.com/applications/argocd/app',
      target_url: 'https://argocd.example.com/applications/argocd/app',
    });
    expect(fake.deployments('acme/gitops')[0]?.statuses.map((status) => status.state)).toEqual([
      'in_progress',
      'success',
    ]);
  });

  it('marks earlier successful non-production deployments of the environment inactive (auto_inactive)', async () => {
    const deploy = async (ref: string) => {
      const created = await octokit.rest.repos.createDeployment({
        ...where,
        ref,
        environment: 'staging',
        auto_merge: false,
        required_contexts: [],
      });
      if (created.status !== 201) throw new Error('expected a deployment');
      await octokit.rest.repos.createDeploymentStatus({
        ...where,
        deployment_id: created.data.id,
        state: 'success',
      });
      return created.data.id;
    };
    await deploy(shas[1]!);
    await deploy(shas[2]!);
    const [first, second] = fake.deployments('acme/gitops');
    expect(first?.productionEnvironment).toBe(false);
    expect(first?.statuses.map((status) => status.state)).toEqual(['success', 'inactive']);
    expect(second?.statuses.map((status) => status.state)).toEqual(['success']);
  });

  it('answers 422 for a ref that does not exist', async () => {
    await expect(
      octokit.rest.repos.createDeployment({ ...where, ref: 'no-such-branch' }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
