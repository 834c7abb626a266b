import type { AppContext } from './context.js';

/** Each feature wires its own listeners, dispatcher handlers and workers. */
export function registerFeatures(_context: AppContext): void {}
