import { describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../../../sandbox/fake-slack/index.js';
import type { FleetCard } from '../../../src/domain/fleet-card.js';
import { buildFleetReleaseInput, renderFleetRelease } from '../../../src/render/fleet-release.js';
import { fleetCard, member, REV } from '../fleet/fleet-fixture.js';
import { checkBlockKitLimits } from './block-kit-limits.js';
import { allText } from './message-helpers.js';

const DEPLOYED_AT = Date.parse('2026-03-02T12:05:00Z');
const PERMALINK = 'https://acme.slack.com/archives/C0PROD/p1000000100000';

function deployed(overrides: Partial<FleetCard> = {}, count = 3): FleetCard {
  const card = fleetCard({ state: 'succeeded', wave: 1, ...overrides }, count);
  return {
    ...card,
    approvals: overrides.approvals ?? [{ user: 'U0ALICE', at: DEPLOYED_AT - 60_000 }],
    repo: 'repo' in overrides ? overrides.repo : { owner: 'sheeffii', name: 'RealtimeGaming' },
    members: card.members.map((m) => ({
      ...m,
      syncStatus: 'Synced',
      deployedRevision: REV,
      sync: { state: 'succeeded', attempt: 1, at: DEPLOYED_AT },
    })),
  };
}

const render = (card: FleetCard, extra: { githubWebUrl?: string; cardPermalink?: string } = {}) =>
  renderFleetRelease(
    buildFleetReleaseInput(card, {
      deployedAt: DEPLOYED_AT,
      githubWebUrl: 'https://github.com',
      cardPermalink: PERMALINK,
      ...extra,
    }),
  );

describe('fleet release announcement', () => {
  it('names the group, the linked revision with its subject, every app as instance/app, the approver and the card', () => {
    const message = render(
      deployed({ to: { sha: REV, subject: 'Tune consumer batch size', author: 'Dave' } }),
    );
    const text = allText(message);
    expect(message.text).toBe('🚀 fleet svc-fleet a1b2c3d released to prod: 3 apps');
    expect(text).toContain('🚀 Fleet svc-fleet released to prod');
    expect(text).toContain(
      `<https://github.com/sheeffii/RealtimeGaming/commit/${REV}|a1b2c3d> Tune consumer batch size · Dave`,
    );
    expect(text).toContain('*Apps* (3)');
    for (const name of ['svc-canary-prod', 'svc-r001-prod', 'svc-r002-prod'])
      expect(text).toContain(`\`default/${name}\``);
    expect(text).toContain('<@U0ALICE>');
    expect(text).toContain(`<${PERMALINK}|Fleet card and its rows>`);
    expect(text).toContain('<!date^');
    expect(checkBlockKitLimits(message)).toEqual([]);
  });

  it('shows the short sha as code when the repository is not on GitHub, and leaves the link out without a permalink', () => {
    const message = render(deployed({ repo: undefined }), { cardPermalink: undefined });
    const text = allText(message);
    expect(text).toContain('`a1b2c3d`');
    expect(text).not.toContain('/commit/');
    expect(text).not.toContain('Fleet card and its rows');
  });

  it('escapes the subject and the author: no mention, link or entity reaches Slack from them', () => {
    const message = render(
      deployed({
        to: {
          sha: REV,
          subject: 'Ping <!channel> & <https://evil.example|click> <@U0BOB>\nsecond line <!here>',
          author: 'Eve <!everyone> <eve@example.com>',
        },
      }),
    );
    const text = allText(message);
    expect(text).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U0BOB>|<https:\/\/evil/);
    expect(text).toContain('Ping &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; &lt;@U0BOB&gt;');
    expect(text).not.toContain('second line');
    expect(text).toContain('Eve &lt;!everyone&gt; &lt;eve@example.com&gt;');
  });

  it('names apps of other instances by their instance', () => {
    const card = deployed();
    card.members = [
      member('api', 0, { app: { instance: 'eu', namespace: 'argocd', name: 'api', project: 'p' } }),
      member('api', 0, { app: { instance: 'us', namespace: 'argocd', name: 'api', project: 'p' } }),
    ];
    const text = allText(render(card));
    expect(text).toContain('`eu/api`');
    expect(text).toContain('`us/api`');
  });

  it.each([1, 40, 200])('stays within Block Kit limits with %i apps, the rest summarised', (count) => {
    const card = deployed({}, count);
    // Long names too: the section must still fit.
    card.members = card.members.map((m, i) => ({
      ...m,
      app: { ...m.app, name: `${'very-long-service-name-'.repeat(3)}${i}-prod` },
    }));
    const message = render(card);
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    const text = allText(message);
    expect(text).toContain(`*Apps* (${count})`);
    expect(message.text).toContain(`${count} app`);
    if (count > 30) {
      const shown = (text.match(/`default\//g) ?? []).length;
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThanOrEqual(30);
      expect(text).toContain(`_and ${count - shown} more_`);
    } else expect(text).not.toContain('more_');
  });
});
