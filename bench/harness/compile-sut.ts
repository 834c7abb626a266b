import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface SutBuild {
  /** The child entry to run: compiled JS (as `npm start` runs the bot) or, failing that, the .ts under tsx. */
  entry: string;
  execArgv: string[];
  kind: 'compiled' | 'tsx';
  /** Why the compiled build could not be used, when kind is tsx. */
  problem?: string;
  cleanup(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TS_ENTRY = fileURLToPath(new URL('./sut-child.ts', import.meta.url));

/**
 * Compiles the child entry and what it imports (src/) to JS once per run, so the measured processes
 * carry no TypeScript loader: tsx alone adds tens of MB of RSS and hooks every module load. The build
 * goes to node_modules/.cache (ignored by git; packages still resolve from the project's node_modules)
 * and is removed after the run.
 */
export async function buildSut(): Promise<SutBuild> {
  const dir = `${REPO_ROOT}node_modules/.cache/deploybot-bench/build-${process.pid}`;
  const cleanup = () => rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(
    `${dir}/tsconfig.json`,
    JSON.stringify({
      extends: `${REPO_ROOT}tsconfig.json`,
      compilerOptions: {
        noEmit: false,
        noCheck: true,
        declaration: false,
        sourceMap: false,
        incremental: false,
        rootDir: REPO_ROOT,
        outDir: dir,
      },
      include: [TS_ENTRY],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const entry = `${dir}/bench/harness/sut-child.js`;
  let problem: string | undefined;
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', `${dir}/tsconfig.json`], { timeout: 120_000 });
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? (error as Error).message;
    problem = output.split('\n').slice(0, 3).join(' ');
  }
  if (existsSync(entry)) return { entry, execArgv: [], kind: 'compiled', cleanup };
  await cleanup();
  return {
    entry: TS_ENTRY,
    execArgv: ['--import', 'tsx'],
    kind: 'tsx',
    problem: problem ?? 'tsc wrote no output',
    cleanup: async () => {},
  };
}
