import { describe, expect, it } from 'vitest';
import { createDirectory } from '../../../sandbox/console/directory.js';
import { renderBlocks } from '../../../sandbox/console/render-blocks.js';
import { renderView } from '../../../sandbox/console/render-view.js';
import type { JsonObject, StoredView } from '../../../sandbox/fake-slack/index.js';
import { renderDeployCard } from '../../../src/render/deploy-card.js';
import { renderRejectModal } from '../../../src/render/reject-modal.js';
import { ALL_STATES, makeCard, makeCardIn, makeContext } from '../../unit/render/card-fixture.js';

const options = {
  directory: createDirectory({
    users: [{ id: 'U0ALICE', name: 'alice', realName: 'Alice Approver', email: 'a@example.com' }],
    usergroups: [{ id: 'S0ONCALL', handle: 'oncall', users: [] }],
    channels: [],
  }),
};

/** The same round trip as Slack's: JSON on the wire, then drawn. */
function drawCard(card = makeCard()): string {
  const message = JSON.parse(JSON.stringify(renderDeployCard(card, makeContext()))) as {
    blocks: JsonObject[];
  };
  return renderBlocks(message.blocks, options);
}

function buttons(html: string): string[] {
  return html.match(/<button[^>]*>/g) ?? [];
}

function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function confirmOf(button: string): Record<string, string> {
  const raw = /data-confirm="([^"]*)"/.exec(button)?.[1] ?? '';
  return JSON.parse(
    raw
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );
}

describe('renderBlocks: a real pending deploy card', () => {
  const html = drawCard();

  it('shows header, status, fields, changelog and mentions by name', () => {
    expect(html).toContain('<div class="block block-header">');
    expect(html).toContain('<div class="section-fields">');
    const text = visibleText(html);
    expect(text).toContain('event-ingestion-prod');
    expect(text).toContain('Add Kafka retries');
    expect(text).toContain('@alice');
    expect(text).toContain('@oncall');
    expect(text).not.toMatch(/<@U0ALICE>|subteam/);
  });

  it('draws Approve & Sync as a primary button with its confirm dialog, Reject plain, Argo CD as a link', () => {
    const [approve, reject, argo] = buttons(html);
    expect(approve).toContain('class="btn btn-primary"');
    expect(approve).toContain('data-action-id="deploy_approve_sync"');
    expect(approve).toContain('data-block-id="card_actions"');
    expect(confirmOf(approve!)).toMatchObject({
      title: 'Approve and sync?',
      confirm: 'Approve & Sync',
      deny: 'Cancel',
      style: 'primary',
    });
    expect(confirmOf(approve!).textHtml).toContain('event-ingestion-prod');
    expect(reject).toContain('data-action-id="deploy_reject"');
    expect(reject).not.toContain('data-confirm');
    expect(argo).toContain('data-url="https://argocd.example.com/applications/argocd/event-ingestion-prod"');
  });

  it('keeps a hostile commit subject as text everywhere, the confirm dialog included', () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const card = makeCard({ to: { sha: makeCard().revision, subject: evil, author: 'mallory' } });
    const drawn = drawCard(card);
    expect(drawn).not.toMatch(/<script|<img/i);
    expect(visibleText(drawn)).toContain('<script>alert(1)</script>');
    const [approve] = buttons(drawn);
    expect(confirmOf(approve!).textHtml).not.toMatch(/<script|<img/i);
  });
});

describe('renderBlocks: every card state', () => {
  it('draws each state with its buttons and no unsupported pieces', () => {
    for (const state of ALL_STATES) {
      const card = makeCardIn(state);
      const message = renderDeployCard(card, makeContext());
      const html = drawCard(card);
      expect(html, state).not.toContain('unsupported');
      const sent = message.blocks.flatMap((b) =>
        b.type === 'actions' ? b.elements.map((e) => e.action_id) : [],
      );
      const drawn = buttons(html).map((b) => /data-action-id="([^"]*)"/.exec(b)?.[1]);
      expect(drawn, state).toEqual(sent);
    }
  });

  it('marks danger buttons (Rollback) with the danger style and a danger confirm', () => {
    const html = drawCard(makeCardIn('succeeded'));
    const rollback = buttons(html).find((b) => b.includes('deploy_rollback'));
    expect(rollback).toContain('btn-danger');
    expect(confirmOf(rollback!).style).toBe('danger');
  });
});

describe('renderBlocks: other block kinds', () => {
  it('draws dividers, context and image elements, accessories, and names what it cannot draw', () => {
    const html = renderBlocks(
      [
        { type: 'divider' },
        {
          type: 'context',
          elements: [
            { type: 'image', image_url: 'https://e.com/a.png', alt_text: 'a"b' },
            { type: 'plain_text', text: '<b>plain</b>' },
          ],
        },
        {
          type: 'section',
          block_id: 's1',
          text: { type: 'mrkdwn', text: '*hi*' },
          accessory: {
            type: 'button',
            action_id: 'go',
            text: { type: 'plain_text', text: 'Go' },
            style: 'danger',
          },
        },
        { type: 'actions', elements: [{ type: 'static_select', action_id: 'pick' }] },
        { type: 'rich_text', elements: [] },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'x',
              text: { type: 'plain_text', text: 'X' },
              url: 'javascript:alert(1)',
            },
          ],
        },
      ],
      options,
    );
    expect(html).toContain('<hr class="block block-divider">');
    expect(html).toContain(
      '<img class="context-image" src="https://e.com/a.png" alt="a&quot;b" loading="lazy">',
    );
    expect(html).toContain('&lt;b&gt;plain&lt;/b&gt;');
    expect(html).toContain('data-action-id="go" data-block-id="s1"');
    expect(html).toContain('[static_select]');
    expect(html).toContain('[rich_text block]');
    expect(html).not.toContain('javascript:');
  });
});

describe('renderView: the Reject modal', () => {
  const modal = JSON.parse(
    JSON.stringify(
      renderRejectModal({
        cardId: 'c1',
        app: 'event-ingestion-prod',
        environment: 'prod',
        shortSha: 'a1b2c3d',
        channel: 'C0PRODDEPLOYS',
        messageTs: '1.000001',
      }),
    ),
  ) as JsonObject;
  const stored = {
    id: 'V1',
    user: 'U0ALICE',
    open: true,
    view: { ...modal, id: 'V1', hash: 'h' },
  } as unknown as StoredView;

  it('draws the title, the multiline input and the submit/close labels', () => {
    const html = renderView(stored, undefined, options);
    expect(html).toContain('>Reject deploy</h2>');
    expect(html).toMatch(
      /<textarea class="input-field"[^>]*data-block-id="reason_block"[^>]*data-input-action-id="reason_input"/,
    );
    expect(html).toContain('data-submit-view>Reject</button>');
    expect(html).toContain('data-close-view>Cancel</button>');
  });

  it('shows response_action errors under their input and keeps what was typed', () => {
    const html = renderView(
      stored,
      {
        values: { reason_block: { reason_input: '</textarea><script>x</script>' } },
        errors: { reason_block: 'Say why <b>' },
      },
      options,
    );
    expect(html).toContain('<div class="input-error" role="alert">Say why &lt;b&gt;</div>');
    expect(html).toContain('&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>');
    expect(html).toContain('aria-invalid="true"');
  });
});
