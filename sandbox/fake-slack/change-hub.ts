import type { ChangeEvent } from './types.js';

export type ChangeListener = (event: ChangeEvent) => void;

/** Fans store changes out to the console and tests; a throwing listener must not break the API answer. */
export class ChangeHub {
  private readonly listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: ChangeEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        process.stderr.write(`fake-slack: onChange listener threw: ${String(error)}\n`);
      }
    }
  }
}
