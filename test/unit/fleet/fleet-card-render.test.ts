import { describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../../../sandbox/fake-slack/index.js';
import type { FleetCard } from '../../../src/domain/fleet-card.js';
import { renderFleetCard } from '../../../src/render/fleet-card.js';
import { fleetCard } from './fleet-fixture.js';

type Json = Record<string, unknown>;

function sectionTexts(message: { blocks: unknown[] }): string[] {
  return (message.blocks as Json[]).flatMap((b) => {
    const text = (b.text as Json | undefined)?.text;
    return typeof text === 'string' ? [text] : [];
  });
}

function failedAt(card: FleetCard, index: number): FleetCard {
  const failed = card.members[index]!;
  return {
    ...card,
    state: 'failed',
    failedKey: failed.key,
    members: card.members.map((m, i) =>
      i === index
        ? {
            ...m,
            sync: { state: 'failed', attempt: 1, at: 0, message: 'one or more objects failed to apply' },
          }
        : i < index
          ? { ...m, sync: { state: 'succeeded', attempt: 1, at: 0 } }
          : m,
    ),
  };
}

describe('fleet card render', () => {
  it.each([3, 40, 200])('stays within Block Kit limits with %i apps (fake Slack validation)', (count) => {
    for (const card of [fleetCard({}, count), failedAt(fleetCard({ state: 'syncing' }, count), count - 1)]) {
      const message = renderFleetCard(card);
      expect(validateMessageBlocks(message.blocks)).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const text of sectionTexts(message)) expect(text.length).toBeLessThanOrEqual(3000);
      for (const block of message.blocks as unknown as Json[])
        expect(((block.fields as unknown[]) ?? []).length).toBeLessThanOrEqual(10);
    }
  });

  it('shows the group, the revision and one row per app with instance, sync, health, operation, deployed revision', () => {
    const card = fleetCard();
    card.members[0] = { ...card.members[0]!, operation: { phase: 'Running' } };
    const message = renderFleetCard(card);
    expect(message.text).toMatch(/^fleet svc-fleet a1b2c3d pending/);
    const all = JSON.stringify(message.blocks);
    expect(all).toContain('Fleet svc-fleet → a1b2c3d');
    expect(all).toContain('Tune consumer batch size');
    expect(all).toContain(
      '`default/svc-canary-prod` · OutOfSync · Healthy · op Running · deployed `0f9e8d7`',
    );
    expect(all).toContain('fleet_approve_sync');
    expect(all).toContain('fleet_reject');
  });

  it('summarises rows past what fits with counts, and always shows the failing app', () => {
    const card = failedAt(fleetCard({ state: 'syncing' }, 200), 199);
    const message = renderFleetCard(card);
    const all = JSON.stringify(message.blocks);
    expect(all).toContain('svc-r199-prod');
    expect(all).toMatch(/…and \d+ more apps \(\d+ synced\)/);
    expect(all).toContain('200 apps: 199 synced · 1 failed');
    expect(all).toContain('failed; later waves were stopped');
  });

  it('names the apps that were not started when one failed', () => {
    const message = renderFleetCard(failedAt(fleetCard({ state: 'syncing' }), 0));
    expect(JSON.stringify(message.blocks)).toMatch(
      /Not started: `default\/svc-r001-prod`, `default\/svc-r002-prod`/,
    );
    expect(JSON.stringify(message.blocks)).toContain('fleet_retry');
  });

  it('escapes outside text', () => {
    const message = renderFleetCard(fleetCard({ to: { sha: 'a1b2c3d4', subject: 'hi <!channel>' } }));
    expect(JSON.stringify(message.blocks)).not.toContain('<!channel>');
  });
});
