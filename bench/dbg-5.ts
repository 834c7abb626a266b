import { mkdtempSync, readdirSync } from 'node:fs';
import { startSut } from './harness/sut-process.js';

const dir = mkdtempSync('/tmp/prof-');
const s = await startSut(
  {
    mode: 'bare-http',
    argocdSecret: 'a',
    githubSecret: 'b',
    slackApiUrl: 'http://127.0.0.1:9/api/',
    slackToken: 'x',
    slackChannel: 'C',
  },
  { cpuProfileDir: dir },
);
await s.stop();
console.log(readdirSync(dir));
