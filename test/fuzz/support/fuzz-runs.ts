/**
 * How many cases each property tries. `npm test` keeps the defaults small so the whole fuzz folder
 * stays fast; `npm run test:fuzz` sets FUZZ_RUNS (20 000) for the nightly run.
 */
export function fuzzRuns(defaultRuns: number): number {
  const configured = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(configured) && configured > 0 ? configured : defaultRuns;
}

/** True for the long nightly run, where bounds that need many cases (memory) are asserted. */
export const isLongRun = (): boolean => fuzzRuns(0) >= 5000;

/** Per-test timeout that grows with the number of runs. */
export function fuzzTimeout(runs: number, msPerRun: number, floorMs = 20_000): number {
  return Math.max(floorMs, runs * msPerRun);
}
