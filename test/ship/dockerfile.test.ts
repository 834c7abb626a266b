import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Copy, DockerfileParser, type Env, type Instruction } from 'dockerfile-ast';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

function readStages(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const args = instruction.getArguments().map((a) => a.getValue());
      const as = args.findIndex((a) => a.toUpperCase() === 'AS');
      stages.push({ name: as >= 0 ? (args[as + 1] ?? null) : null, image: args[0] ?? '', instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const of = (stage: Stage | undefined, keyword: string) =>
  (stage?.instructions ?? []).filter((i) => i.getKeyword() === keyword);
const text = (i: Instruction) => i.getArgumentsContent() ?? '';
const jsonArgs = (i: Instruction) => JSON.parse(text(i).replace(/^--\S+\s+/g, '')) as string[];

function readEnv(stage: Stage | undefined): Map<string, string> {
  const properties = of(stage, 'ENV').flatMap((i) => (i as Env).getProperties());
  return new Map(properties.map((p) => [p.getName(), p.getValue() ?? '']));
}

/** A COPY as `--from=<stage>` (when given) and its arguments: the sources, then the destination. */
function describeCopy(i: Instruction): { from: string | null; args: string[] } {
  const from = (i as Copy).getFlags().find((f) => f.getName() === 'from');
  return { from: from?.getValue() ?? null, args: i.getArguments().map((a) => a.getValue()) };
}

/** Docker's .dockerignore rule: the last pattern matching the path or one of its parent folders decides. */
function isIgnored(patterns: string[], path: string): boolean {
  const parts = path.split('/');
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const matcher = picomatch(negated ? raw.slice(1) : raw, { dot: true });
    if (parts.some((_, i) => matcher(parts.slice(0, i + 1).join('/')))) ignored = !negated;
  }
  return ignored;
}

const dockerfile = read('Dockerfile');
const stages = readStages(dockerfile);
const [build, runtime] = [stages[0], stages.at(-1)];

describe('Dockerfile', () => {
  it('has a build stage and a separate runtime stage, both on one exactly pinned Node 24 bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
    expect(new Set(stages.map((s) => s.image)).size).toBe(1);
    expect(build?.name).toBeTruthy();
  });

  it('builds with the dev dependencies and `npm run build` in the build stage', () => {
    const runs = of(build, 'RUN').map(text);
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(runs.some((r) => r.includes('npm run build'))).toBe(true);
  });

  it('installs only production dependencies in the runtime stage and copies the compiled output from the build', () => {
    const runs = of(runtime, 'RUN').map(text);
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.join('\n')).not.toMatch(/npm (run build|install)\b/);
    const copies = of(runtime, 'COPY').map(describeCopy);
    expect(copies).toContainEqual({ from: build?.name, args: ['/app/dist', './dist'] });
    const local = copies.filter((c) => c.from === null).flatMap((c) => c.args.slice(0, -1));
    expect(local.sort()).toEqual(['package-lock.json', 'package.json']);
  });

  it('runs as the numeric non-root user 1000, after every RUN', () => {
    const users = of(runtime, 'USER');
    expect(users.map(text)).toEqual(['1000:1000']);
    const all = runtime?.instructions ?? [];
    const userAt = all.findIndex((i) => i.getKeyword() === 'USER');
    expect(all.slice(userAt).some((i) => i.getKeyword() === 'RUN')).toBe(false);
  });

  it('sets NODE_ENV=production, a TMPDIR under /tmp and no secret', () => {
    const env = readEnv(runtime);
    expect(env.get('NODE_ENV')).toBe('production');
    expect(env.get('TMPDIR')).toBe('/tmp');
    const names = [
      ...stages.flatMap((s) => [...readEnv(s).keys()]),
      ...stages.flatMap((s) => of(s, 'ARG').map(text)),
    ];
    expect(names.filter((n) => /TOKEN|SECRET|PASSWORD|PRIVATE|KEY/i.test(n))).toEqual([]);
  });

  it('exposes 3000 and starts the compiled entry point that package.json names, in exec form', () => {
    expect(of(runtime, 'EXPOSE').map(text)).toEqual(['3000']);
    expect(of(runtime, 'ENTRYPOINT')).toEqual([]);
    const cmds = of(runtime, 'CMD');
    expect(cmds).toHaveLength(1);
    const cmd = jsonArgs(cmds[0] as Instruction);
    expect(cmd).toEqual(['node', 'dist/src/main.js']);
    const pkg = JSON.parse(read('package.json')) as { main: string; scripts: { start: string } };
    expect(pkg.scripts.start).toBe(cmd.join(' '));
    expect(pkg.main).toBe(cmd[1]);
  });

  it('checks /healthz if it declares a HEALTHCHECK', () => {
    for (const check of of(runtime, 'HEALTHCHECK')) expect(text(check)).toContain('/healthz');
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('keeps dependencies, build output, tests, tooling, git history and env files out of the context', () => {
    for (const path of [
      'node_modules/x/index.js',
      'dist/src/main.js',
      'test/ship/k8s.test.ts',
      'sandbox/run.ts',
    ]) {
      expect(isIgnored(patterns, path), path).toBe(true);
    }
    for (const path of [
      'bench/run.ts',
      'docs/install.md',
      'k8s/base/deployment.yaml',
      '.git/HEAD',
      'README.md',
    ]) {
      expect(isIgnored(patterns, path), path).toBe(true);
    }
    for (const path of ['.env', 'src/.env.local', 'src/x.test.ts'])
      expect(isIgnored(patterns, path), path).toBe(true);
  });

  it('lets in every file the Dockerfile copies, and those files exist', () => {
    const sources = stages
      .flatMap((s) => of(s, 'COPY'))
      .map(describeCopy)
      .filter((c) => c.from === null)
      .flatMap((c) => c.args.slice(0, -1));
    expect(sources.sort()).toEqual(
      [
        'package-lock.json',
        'package-lock.json',
        'package.json',
        'package.json',
        'src',
        'tsconfig.build.json',
        'tsconfig.json',
      ].sort(),
    );
    for (const source of new Set(sources)) {
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(isIgnored(patterns, source), source).toBe(false);
    }
    expect(isIgnored(patterns, 'src/main.ts')).toBe(false);
  });
});
