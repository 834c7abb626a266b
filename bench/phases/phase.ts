import type { BenchWorld } from '../harness/bench-world.js';
import type { SutBuild } from '../harness/compile-sut.js';
import type { BenchSizes } from '../harness/options.js';
import type { SutProcess } from '../harness/sut-process.js';
import type { ResultRow } from '../report/result.js';

export interface PhaseContext {
  main: BenchWorld;
  baselines: { bolt: SutProcess; http: SutProcess };
  sizes: BenchSizes;
  /** How the child processes run (compiled JS, or tsx when the build failed). */
  build: SutBuild;
  quick: boolean;
  redisUrl: string;
  /** Removes a Redis key prefix a phase created for its own bot. */
  deletePrefix(prefix: string): Promise<number>;
  /** One line of progress on stderr (stdout is kept for the table). */
  progress(message: string): void;
}

export interface Phase {
  name: string;
  /** Upper bound of the phase; past it the phase counts as crashed and the run goes on. */
  timeoutMs: number;
  run(ctx: PhaseContext): Promise<ResultRow[]>;
}
