import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './k8s-files.js';

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
  steps: Step[];
  permissions?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown[]> };
  services?: Record<string, { image: string; ports: string[] }>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<'test' | 'image', Job>;
}

const workflow = parseYaml(readFileSync(join(repoRoot, '.github/workflows/ci.yml'), 'utf8')) as Workflow;
const uses = (job: Job, action: string): Step => {
  const step = job.steps.find((s) => String(s.uses).startsWith(`${action}@`));
  if (!step) throw new Error(`no ${action} step`);
  return step;
};
/** A GitHub Actions expression as written in the workflow file. */
const expression = (inner: string) => ['$', '{{ ', inner, ' }}'].join('');

describe('.github/workflows/ci.yml', () => {
  it('runs on pushes and pull requests with read-only default permissions', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('tests on Node 24 and 20 with a Redis service, through the same .ci/run as every other CI', () => {
    const test = workflow.jobs.test;
    expect(test.strategy?.matrix.node).toEqual([24, 20]);
    expect(uses(test, 'actions/setup-node').with?.['node-version']).toBe(expression('matrix.node'));
    expect(test.services?.redis?.image).toMatch(/^redis:\d+\.\d+\.\d+/);
    expect(test.services?.redis?.ports).toEqual(['6379:6379']);
    expect(test.env?.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(test.steps.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
  });

  it('builds the image after the tests and pushes it for pushes only, never for pull requests', () => {
    const image = workflow.jobs.image;
    expect(image.needs).toBe('test');
    const build = uses(image, 'docker/build-push-action');
    expect(build.with?.context).toBe('.');
    expect(build.with?.push).toBe(expression("github.event_name == 'push'"));
    expect(uses(image, 'docker/login-action').if).toBe("github.event_name == 'push'");
    expect(image.permissions?.packages).toBe('write');
  });
});
