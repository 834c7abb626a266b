export type { ConsoleLocation } from './console-href.js';
export type { ConsoleModel, Scenario } from './console-model.js';
export { type ConsoleOptions, createConsole, type SandboxConsole } from './create-console.js';
export { createDirectory, type Directory } from './directory.js';
export { escapeHtml } from './escape-html.js';
export { type InputState, renderBlock, renderBlocks } from './render-blocks.js';
export { type MrkdwnOptions, renderMrkdwn } from './render-mrkdwn.js';
