import { describe, expect, it } from 'vitest';
import { tellsProgress } from '../../../src/cards/card-notes.js';

describe('which sync progress deserves a thread reply', () => {
  it.each([
    ['Running', 'waiting for healthy state of apps/Deployment/payments-api', true],
    ['Running', 'waiting for completion of hook batch/Job/db-migrate', true],
    ['Running', 'Retrying attempt #2 at 10:01AM', true],
    ['Running', 'syncing', false],
    ['Running', 'Syncing.', false],
    ['Running', 'running', false],
    [undefined, 'sync in progress', false],
    ['Succeeded', 'successfully synced (all tasks run)', false],
    ['Failed', 'one or more objects failed to apply', false],
    ['Error', 'ComparisonError: rpc error', false],
  ])('phase %s, message %j → %s', (phase, message, expected) => {
    expect(tellsProgress(phase, message)).toBe(expected);
  });
});
