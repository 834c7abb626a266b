import { describe, expect, it } from 'vitest';
import {
  classifyRow,
  compareRows,
  countByEnvironment,
  type StatusRowDetail,
} from '../../../src/domain/status-row.js';
import type { SlackMessage } from '../../../src/render/block-kit.js';
import {
  renderStatusAnswer,
  STATUS_PAGE_SIZE,
  type StatusAnswerInput,
} from '../../../src/render/status-answer.js';
import { encodePageCursor } from '../../../src/status/page-cursor.js';
import { checkBlockKitLimits } from './block-kit-limits.js';

const NOW = Date.parse('2026-05-04T10:00:00Z');

function makeRow(i: number, overrides: Partial<StatusRowDetail> = {}): StatusRowDetail {
  const base: StatusRowDetail = {
    app: { instance: 'default', name: `svc-${i}`, namespace: 'argocd', project: 'gamemetrics' },
    environment: i % 3 === 0 ? 'prod' : 'dev',
    autoSync: i % 2 === 0,
    syncStatus: i % 7 === 0 ? 'OutOfSync' : 'Synced',
    health: i % 11 === 0 ? 'Degraded' : 'Healthy',
    healthMessage: 'Deployment "svc" exceeded its progress deadline',
    operationRunning: false,
    deployed: { sha: 'a'.repeat(40), at: NOW - 3600_000, initiatedBy: 'admin' },
    repo: { owner: 'sheeffii', name: 'RealtimeGaming' },
    images: [`docker.io/gamemetrics/svc-${i}:1.0.${i}`],
    deployedBy: i % 5 === 0 ? ['U0ALICE'] : [],
    deployedVia: i % 5 === 0 ? undefined : 'auto-sync',
    subject: 'Tune consumer batch size',
    ...overrides,
  };
  return { ...base, problem: classifyRow(base) };
}

function answerFor(
  rows: StatusRowDetail[],
  offset = 0,
  extra: Partial<StatusAnswerInput> = {},
): SlackMessage {
  const sorted = [...rows].sort(compareRows);
  const page = sorted.slice(offset, offset + STATUS_PAGE_SIZE);
  const next = offset + page.length;
  return renderStatusAnswer({
    query: 'prod',
    rows: page,
    total: sorted.length,
    offset,
    counts: sorted.length > STATUS_PAGE_SIZE ? countByEnvironment(sorted) : undefined,
    freezes: [],
    nextValue: next < sorted.length ? encodePageCursor({ query: 'prod', offset: next }) : undefined,
    notes: [],
    argoUiUrl: 'https://argocd.example.com',
    githubWebUrl: 'https://github.com',
    now: NOW,
    ...extra,
  });
}

const sectionTexts = (m: SlackMessage) =>
  m.blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
const nextButton = (m: SlackMessage) =>
  m.blocks
    .flatMap((b) => (b.type === 'actions' ? b.elements : []))
    .find((e) => e.action_id === 'status_next_page');

describe('renderStatusAnswer', () => {
  it('1 app: everything on one answer, no counts, no Next', () => {
    const message = answerFor([makeRow(5)]);
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(nextButton(message)).toBeUndefined();
    const text = sectionTexts(message).join('\n');
    expect(text).toContain('<https://argocd.example.com/applications/argocd/svc-5|svc-5>');
    expect(text).toContain(`<https://github.com/sheeffii/RealtimeGaming/commit/${'a'.repeat(40)}|aaaaaaa>`);
    expect(text).toContain('`svc-5:1.0.5`');
    expect(text).toContain('by <@U0ALICE>');
    expect(message.text).toBe('Deploy status: prod: 1 app, all fine.');
  });

  it('50 apps: a page of 20, counts per environment with problems first, and a Next button', () => {
    const rows = Array.from({ length: 50 }, (_, i) => makeRow(i));
    const message = answerFor(rows);
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(
      sectionTexts(message).filter((t) => t.startsWith('🔴') || t.startsWith('✅') || t.startsWith('🟠')),
    ).toHaveLength(20);
    const counts = sectionTexts(message).find((t) => t.startsWith('*By environment*'))!;
    expect(counts.indexOf('*dev*')).toBeLessThan(counts.indexOf('*prod*'));
    expect(nextButton(message)?.value).toBe('{"q":"prod","o":20}');
    expect(message.text).toMatch(
      /^Deploy status: prod: 50 apps, \d+ need attention \(svc-11 degraded, svc-22 degraded/,
    );
    const last = answerFor(rows, 40);
    expect(checkBlockKitLimits(last)).toEqual([]);
    expect(nextButton(last)).toBeUndefined();
    expect(JSON.stringify(last.blocks)).toContain('End of the list.');
  });

  it('2,000 apps with long names, many images and 200 environments stay within every limit', () => {
    const rows = Array.from({ length: 2000 }, (_, i) =>
      makeRow(i, {
        app: {
          instance: 'default',
          name: `${'very-long-application-name-'.repeat(10)}${i}`,
          namespace: 'argocd',
          project: 'p',
        },
        environment: `env-${i % 200}-${'x'.repeat(40)}`,
        images: Array.from(
          { length: 30 },
          (__, k) => `registry.example.com/${'team/'.repeat(20)}image-${k}:${'v'.repeat(100)}`,
        ),
        subject: `${'<!channel> & a very long subject '.repeat(30)}`,
        healthMessage: 'x'.repeat(5000),
        open: {
          cardId: 'c1',
          revision: 'b'.repeat(40),
          state: 'pending',
          channel: 'C0PRODDEPLOYS',
          ts: '1.2',
          approvals: [],
          requiredApprovals: 2,
          createdAt: NOW - 60_000,
          subject: 'y'.repeat(4000),
          syncWindow: { blocked: true, description: 'z'.repeat(4000) },
        },
      }),
    );
    for (const offset of [0, 20, 1980]) {
      const message = answerFor(rows, offset, {
        freezes: Array.from({ length: 15 }, (_, i) => ({
          environment: `env-${i}`,
          reason: 'r'.repeat(500),
          endsAt: NOW + 1,
        })),
        notes: ['n'.repeat(900), 'second note'],
        query: 'q'.repeat(500),
      });
      expect(checkBlockKitLimits(message)).toEqual([]);
      expect(message.text.length).toBeLessThanOrEqual(3000);
      expect(JSON.stringify(message)).not.toContain('<!channel>');
    }
    const counts = sectionTexts(answerFor(rows)).find((t) => t.startsWith('*By environment*'))!;
    expect(counts).toMatch(/_and \d+ more environments_/);
  });

  it('says so when nothing matches', () => {
    const message = renderStatusAnswer({
      query: 'nothing-*',
      rows: [],
      total: 0,
      offset: 0,
      freezes: [],
      notes: [],
      argoUiUrl: 'https://argocd.example.com',
      now: NOW,
    });
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('No applications match `nothing-*`');
  });

  it('shows a pending card link, a freeze on manual apps and a closed sync window', () => {
    const row = makeRow(1, {
      autoSync: false,
      syncStatus: 'OutOfSync',
      open: {
        cardId: 'c1',
        revision: 'c'.repeat(40),
        state: 'pending',
        channel: 'C0PRODDEPLOYS',
        ts: '1.2',
        approvals: ['U0BOB'],
        requiredApprovals: 2,
        createdAt: NOW - 60_000,
        subject: 'Batch inserts',
      },
      openPermalink: 'https://slack.example.com/archives/C0PRODDEPLOYS/p12',
      syncWindow: { blocked: true, description: 'manual syncs are blocked now' },
      environment: 'prod',
    });
    const message = answerFor([row], 0, {
      freezes: [{ environment: 'prod', reason: 'Holiday freeze', endsAt: NOW + 3600_000 }],
    });
    const text = sectionTexts(message).join('\n');
    expect(row.problem).toBe('waiting');
    expect(text).toContain('<https://slack.example.com/archives/C0PRODDEPLOYS/p12|Waiting for approval>');
    expect(text).toContain('1 of 2 approvals');
    expect(text).toContain('🧊 Freeze: Holiday freeze');
    expect(text).toContain('🚧 Sync window closed: manual syncs are blocked now');
    expect(JSON.stringify(message.blocks)).toContain('*prod* frozen: Holiday freeze');
  });
});
