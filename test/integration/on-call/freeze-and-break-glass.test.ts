import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, REPO } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  actionIds,
  auditOf,
  buttonsOf,
  cardIdOf,
  ephemeralTexts,
  expectNoArgoWrites,
  latest,
  PROD,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from '../actions/helpers.js';
import { freezeCommand, ON_CALL_POLICY, openBreakGlass, reasonValues } from './helpers.js';

describe.each(SLACK_TRANSPORTS)('freezes and break glass over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport }, { policy: ON_CALL_POLICY });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const click = (user: string, ts: string, actionId = 'deploy_approve_sync') =>
    env.world.slack.clickButton({ user, channel: PROD, ts, actionId });

  describe('/deploy-freeze and Break glass', () => {
    it('answers usage for bad input and unknown environments, and changes nothing', async () => {
      const { world } = env;
      for (const text of ['prod 15d Too long', 'prod 10s Short', 'prod 2h', 'qa 1h Game day', 'off']) {
        const answer = await freezeCommand(world, 'U0ALICE', text);
        expect(answer.text).toMatch(/\/deploy-freeze &lt;env&gt; &lt;duration&gt; &lt;reason…&gt;/);
      }
      expect((await freezeCommand(world, 'U0ALICE', 'qa 1h Game day')).text).toMatch(
        /"qa" is not an environment/,
      );
      expect((await freezeCommand(world, 'U0ALICE', '')).text).toMatch(/No freeze is in force/);
      expect(world.slack.channelMessages(PROD).some((m) => m.text.includes('froze'))).toBe(false);
    });

    it('refuses a freeze from someone who is neither approver nor break-glass principal: ephemeral and audited', async () => {
      const { world } = env;
      const answer = await freezeCommand(world, 'U0DAVE', 'prod 1h I do not like Fridays');
      expect(answer.text).toMatch(/Not allowed: Only the prod approvers and break-glass principals/);
      expect((await freezeCommand(world, 'U0DAVE', '')).text).toMatch(/No freeze is in force/);
      const audit = await env.bot.store.readAudit({ limit: 50 });
      expect(audit.find((e) => e.action === 'freeze')).toMatchObject({
        app: 'environment:prod',
        outcome: 'denied',
        user: 'U0DAVE',
        rule: 'not-freeze-principal',
      });
    });

    it('freezes prod: announced, shown on the pending card with Break glass, named in refusals, listed', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Hotfix for the payment outage' });
      const card = await waitForCard(world, PROD, sha);
      expect(actionIds(card)).not.toContain('deploy_break_glass');

      const done = await freezeCommand(world, 'U0ALICE', 'prod 2h Incident 42 <!here> & co');
      expect(done.text).toMatch(/prod\* is frozen until <!date\^/);
      const announcement = await eventually(() =>
        world.slack.channelMessages(PROD).find((m) => m.text.includes('froze *prod*')),
      );
      expect(announcement.text).toContain('<@U0ALICE>');
      expect(announcement.text).toContain('Incident 42 &lt;!here&gt; &amp; co');

      // The pending card is re-rendered at once: the freeze, who froze it, and Break glass.
      await eventually(() => actionIds(latest(world, PROD, card.ts)).includes('deploy_break_glass'));
      const shown = textOf(latest(world, PROD, card.ts));
      expect(shown).toContain('*Deploy freeze:* Incident 42 &lt;!here&gt; &amp; co (frozen by <@U0ALICE>)');
      const button = buttonsOf(latest(world, PROD, card.ts)).find(
        (b) => b.element.action_id === 'deploy_break_glass',
      );
      expect(button?.element).toMatchObject({ style: 'danger', confirm: { style: 'danger' } });

      await click('U0ALICE', card.ts);
      const refusal = await eventually(() =>
        ephemeralTexts(world, 'U0ALICE').find((t) => t.includes('frozen by <@U0ALICE>')),
      );
      expect(refusal).toMatch(/\(Incident 42 &lt;!here&gt; &amp; co\) until <!date\^\d+\^/);
      expectNoArgoWrites(world);

      const list = await freezeCommand(world, 'U0DAVE', '');
      expect(list.text).toMatch(/\*prod\* frozen by <@U0ALICE> until <!date\^\d+\^.*Incident 42/);
    });

    it('breaks the glass: outsiders refused, short reasons refused on the field, one pinned sync, told everywhere', async () => {
      const { world } = env;
      const card = await eventually(() =>
        world.slack
          .channelMessages(PROD)
          .find(
            (m) => m.text.includes('waiting for approval') && actionIds(m).includes('deploy_break_glass'),
          ),
      );
      const cardId = cardIdOf(card);
      const sha = (await storedCard(env, cardId)).revision;

      // Alice approves prod but is no break-glass principal.
      const aliceView = await openBreakGlass(world, 'U0ALICE', card.ts);
      await eventually(() =>
        ephemeralTexts(world, 'U0ALICE').some((t) => /break-glass principals.*<@U0CAROL>/.test(t)),
      );
      const aliceSubmit = await world.slack.submitView({
        user: 'U0ALICE',
        viewId: aliceView.id,
        values: reasonValues('I really want this out now'),
      });
      expect(aliceSubmit.viewOpen).toBe(false);
      await eventually(async () =>
        (await auditOf(env, cardId)).some((e) => e.action === 'break-glass' && e.rule === 'not-break-glass'),
      );
      expectNoArgoWrites(world);

      const view = await openBreakGlass(world, 'U0CAROL', card.ts);
      const short = await world.slack.submitView({
        user: 'U0CAROL',
        viewId: view.id,
        values: reasonValues('now pls'),
      });
      expect(short.responseAction).toBe('errors');
      expect(short.errors?.break_glass_reason_block).toMatch(/at least 10 characters/);
      expect((await storedCard(env, cardId)).state).toBe('pending');

      const reason = 'Payments <down> since 02:10 & customers affected';
      const [first, second] = await Promise.all([
        world.slack.submitView({ user: 'U0CAROL', viewId: view.id, values: reasonValues(reason) }),
        (async () => {
          const again = await openBreakGlass(world, 'U0CAROL', card.ts);
          return world.slack.submitView({ user: 'U0CAROL', viewId: again.id, values: reasonValues(reason) });
        })(),
      ]);
      expect([first.status, second.status]).toEqual([200, 200]);
      const sync = await eventually(() => world.argocd.syncRequests()[0]);
      expect(sync.body).toMatchObject({ revision: sha });
      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Deployed*'));
      expect(world.argocd.syncRequests()).toHaveLength(1);

      const escaped = 'Payments &lt;down&gt; since 02:10 &amp; customers affected';
      expect(textOf(latest(world, PROD, card.ts))).toContain(`*Glass broken* by <@U0CAROL>`);
      expect(textOf(latest(world, PROD, card.ts))).toContain(escaped);
      await eventually(() => threadText(world, PROD, card.ts).includes('broke the glass'));
      expect(threadText(world, PROD, card.ts)).toContain(escaped);
      const releases = await eventually(() =>
        world.slack.channelMessages(CHANNELS.releases.id).find((m) => m.text.includes('broke the glass')),
      );
      expect(releases.text).toContain('<@U0CAROL>');
      expect(releases.text).toContain(escaped);
      expect(releases.text).toContain('Incident 42');
      const audit = await auditOf(env, cardId);
      expect(audit.filter((e) => e.action === 'break-glass' && e.outcome === 'allowed')).toEqual([
        expect.objectContaining({ user: 'U0CAROL', detail: reason }),
      ]);
      const deployment = await eventually(() =>
        world.github
          .deployments(REPO)
          .find((d) => d.sha === sha && d.environment === 'prod/event-ingestion-prod'),
      );
      expect(String(deployment.description)).toContain('break glass by U0CAROL');
    });

    it('ends the freeze: announced, cards lose Break glass, approvals open again', async () => {
      const { world } = env;
      const refused = await freezeCommand(world, 'U0DAVE', 'off prod');
      expect(refused.text).toMatch(/Not allowed/);
      const sha = await world.pushCommit({ author: 'dave', message: 'After the incident' });
      const card = await waitForCard(world, PROD, sha, 'deploy_break_glass');
      const done = await freezeCommand(world, 'U0CAROL', 'off prod');
      expect(done.text).toMatch(/freeze is over/);
      await eventually(() =>
        world.slack.channelMessages(PROD).some((m) => m.text.includes('ended the *prod* freeze')),
      );
      await eventually(() => !actionIds(latest(world, PROD, card.ts)).includes('deploy_break_glass'));
      expect(textOf(latest(world, PROD, card.ts))).not.toContain('Deploy freeze');
      // No freeze now: Break glass is refused, Approve works.
      world.argocd.clearRequests();
      await click('U0ALICE', card.ts);
      await eventually(() => world.argocd.syncRequests()[0]);
      expect((await freezeCommand(world, 'U0ALICE', '')).text).toMatch(/No freeze is in force/);
    });
  });
});
