import { readFile } from 'node:fs/promises';

export interface ConsoleAssets {
  css: string;
  script: string;
}

/** Real files (linted, readable) served as they are: the console has no build step. */
export async function loadAssets(): Promise<ConsoleAssets> {
  const [layout, blocks, script] = await Promise.all([
    readFile(new URL('./assets/console.css', import.meta.url), 'utf8'),
    readFile(new URL('./assets/blocks.css', import.meta.url), 'utf8'),
    readFile(new URL('./assets/console-client.js', import.meta.url), 'utf8'),
  ]);
  // One stylesheet for the page: layout first, then the message styles that may refine it.
  return { css: `${layout}\n${blocks}`, script };
}
