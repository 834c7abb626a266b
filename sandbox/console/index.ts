export { createConsole, type SandboxConsole } from './create-console.js';
