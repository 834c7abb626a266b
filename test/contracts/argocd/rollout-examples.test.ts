import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rolloutManifestSchema } from '../../../src/clients/argocd/rollout-schema.js';
import { describeRolloutStep, toRolloutView } from '../../../src/domain/rollout-view.js';

// Real Rollout objects from Argo CD's own Rollout health and action test data (sources in each file's $comment).
function example(file: string): unknown {
  const text = readFileSync(new URL(`../../fixtures/argo-rollouts/${file}`, import.meta.url), 'utf8');
  const { $comment, manifest } = JSON.parse(text) as { $comment: string; manifest: unknown };
  expect($comment).toMatch(/github\.com\/argoproj\/argo-cd .* at commit [0-9a-f]{40}/);
  return manifest;
}

describe('real Argo Rollouts examples parse with the schema deploybot reads them with', () => {
  it('a canary paused at step 1 of 4 (Rollouts before status.phase existed)', () => {
    const rollout = rolloutManifestSchema.parse(example('canary-paused-step.json'));
    const view = toRolloutView(rollout);
    expect(view).toMatchObject({ strategy: 'canary', step: 1, steps: 4, phase: 'Paused', aborted: false });
    expect(view.stableRevision).toBe('df986d68');
    expect(describeRolloutStep(view)).toBe('canary step 1 of 4, weight 20%');
  });

  it('a canary aborted by a failed analysis', () => {
    const view = toRolloutView(rolloutManifestSchema.parse(example('canary-analysis-aborted.json')));
    expect(view).toMatchObject({ aborted: true, phase: 'Degraded', weight: 0 });
    expect(view.analysis).toEqual([
      { kind: 'step', name: 'retry-analysis-step', phase: 'Failed' },
      { kind: 'background', name: 'retry-analysis-background', phase: 'Error' },
    ]);
  });

  it('a blue-green Rollout serving its preview', () => {
    const view = toRolloutView(rolloutManifestSchema.parse(example('bluegreen-preview.json')));
    expect(view).toMatchObject({
      strategy: 'blue-green',
      activeRevision: '74d854cfd6',
      previewRevision: 'b6b6f4c9c',
      phase: 'Paused',
    });
  });
});
