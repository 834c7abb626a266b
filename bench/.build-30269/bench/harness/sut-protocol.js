/** What the bench parent and a system-under-test child say to each other over the IPC channel. */
export const SUT_CONFIG_ENV = 'BENCH_SUT_CONFIG';
/** How long the child lets its system stop gracefully before it exits anyway. */
export const STOP_DEADLINE_MS = 7000;
