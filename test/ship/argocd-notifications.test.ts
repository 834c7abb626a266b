import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  argocdNotificationSchema,
  isKnownArgoEvent,
  KNOWN_ARGOCD_EVENTS,
} from '../../src/inbound/argocd-notification-schema.js';
import { type SampleApp, sampleApps } from './argocd-sample-apps.js';
import { renderGoTemplate } from './go-template.js';
import { findObject, type K8sObject, loadAll, loadYamlFile, repoRoot } from './k8s-files.js';

// INTERFACE.md, "Argo CD notification body".
const EVENTS = [
  'on-out-of-sync',
  'on-sync-running',
  'on-sync-succeeded',
  'on-deployed',
  'on-sync-failed',
  'on-health-degraded',
  'on-sync-status-unknown',
];
const STRING_KEYS = [
  'event',
  'app',
  'appNamespace',
  'project',
  'syncStatus',
  'healthStatus',
  'revision',
  'operationPhase',
  'deliveredAt',
];

const [cmDoc] = loadYamlFile(join(repoRoot, 'k8s/argocd-notifications/argocd-notifications-cm.yaml'));
const cm = cmDoc?.object as K8sObject;
const data = cm.data as Record<string, string>;
const context = parseYaml(data.context ?? '') as Record<string, string>;
const now = new Date('2026-05-14T09:41:52.345Z');

interface WebhookTemplate {
  webhook: { deploybot: { method: string; path: string; body: string } };
}
const template = (event: string) => parseYaml(data[`template.deploybot-${event}`] ?? '') as WebhookTemplate;
const render = (event: string, app: object) =>
  renderGoTemplate(template(event).webhook.deploybot.body, { app, context }, { now });

const expectedRevision = (event: string, app: SampleApp): string =>
  event === 'on-out-of-sync'
    ? (app.status.sync.revision ?? '')
    : app.status.operationState?.syncResult?.revision ||
      app.status.operationState?.operation?.sync?.revision ||
      app.status.sync.revision ||
      '';

describe('argocd-notifications-cm.yaml', () => {
  it('is the argocd-notifications-cm of namespace argocd', () => {
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.metadata).toEqual({ name: 'argocd-notifications-cm', namespace: 'argocd' });
  });

  it('the events are those of INTERFACE.md, which the bot also knows', () => {
    expect([...KNOWN_ARGOCD_EVENTS]).toEqual(EVENTS);
  });

  it('defines the deploybot webhook on the bot Service, with JSON and the Bearer secret', () => {
    const service = parseYaml(data['service.webhook.deploybot'] ?? '') as K8sObject;
    const docs = loadAll();
    const botService = findObject(docs, 'k8s/base/service.yaml', 'Service', 'deploybot');
    const namespace = docs.find((d) => d.file === 'k8s/base/kustomization.yaml')?.object.namespace;
    expect(service.url).toBe(
      `http://${botService.metadata.name}.${namespace}.svc:${botService.spec.ports[0].port}`,
    );
    expect(service.headers).toEqual([
      { name: 'Content-Type', value: 'application/json' },
      { name: 'Authorization', value: 'Bearer $deploybot-webhook-secret' },
    ]);
    expect(service.retryMax).toBeGreaterThan(0);
  });

  it('has one trigger and one template per event, and subscribes to all of them by default', () => {
    const names = EVENTS.map((e) => `deploybot-${e}`);
    expect(
      Object.keys(data)
        .filter((k) => k.startsWith('trigger.'))
        .sort(),
    ).toEqual(names.map((n) => `trigger.${n}`).sort());
    expect(
      Object.keys(data)
        .filter((k) => k.startsWith('template.'))
        .sort(),
    ).toEqual(names.map((n) => `template.${n}`).sort());
    expect(parseYaml(data['defaultTriggers.deploybot'] ?? '')).toEqual(names);
    for (const name of names) {
      expect(name).not.toContain('.');
      const conditions = parseYaml(data[`trigger.${name}`] ?? '') as K8sObject[];
      expect(conditions).toHaveLength(1);
      expect(conditions[0]?.send).toEqual([name]);
      expect(conditions[0]?.when, name).toBeTruthy();
      expect(conditions[0]?.oncePer, name).toBeTruthy();
    }
  });

  it('fires on-out-of-sync only for apps without an enabled automated sync, once per target revision', () => {
    const [condition] = parseYaml(data['trigger.deploybot-on-out-of-sync'] ?? '') as K8sObject[];
    expect(condition?.when).toContain("app.status.sync.status == 'OutOfSync'");
    expect(condition?.when).toContain('automated');
    expect(condition?.oncePer).toBe('app.status.sync.revision');
  });

  it('POSTs every template to /argocd/events, and the templates differ only in event and revision', () => {
    const normalised = EVENTS.map((event) => {
      const hook = template(event).webhook.deploybot;
      expect(hook.method).toBe('POST');
      expect(hook.path).toBe('/argocd/events');
      return hook.body.replace(`"event": "${event}"`, '').replace(/"revision": .*\n/, '');
    });
    expect(new Set(normalised).size).toBe(1);
  });
});

describe.each(EVENTS)('template deploybot-%s', (event) => {
  it.each(Object.entries(sampleApps))(
    'renders valid JSON with the INTERFACE.md keys for %s',
    (_name, app) => {
      const body = render(event, app);
      const parsed = JSON.parse(body) as Record<string, unknown>;
      for (const key of STRING_KEYS) expect(typeof parsed[key], key).toBe('string');
      expect(parsed.event).toBe(event);
      expect(parsed.app).toBe(app.metadata.name);
      expect(parsed.appNamespace).toBe(app.metadata.namespace);
      expect(parsed.project).toBe(app.spec.project ?? 'default');
      expect(parsed.revision).toBe(expectedRevision(event, app));
      expect(parsed.operationPhase).toBe(app.status.operationState?.phase ?? '');
      expect(parsed.healthStatus).toBe(app.status.health?.status ?? '');
      expect(parsed.deliveredAt).toBe('2026-05-14T09:41:52Z');
      expect(parsed.argocdUrl).toBe(context.argocdUrl);
    },
  );

  it.each(Object.entries(sampleApps))('carries the pruned Application intact for %s', (_name, app) => {
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON
    const application = (JSON.parse(render(event, app)) as any).application;
    expect(application.metadata).toEqual(app.metadata);
    expect(application.spec.destination).toEqual(app.spec.destination);
    expect(application.spec.source).toEqual(
      'source' in app.spec ? { ...app.spec.source, chart: null } : null,
    );
    const op = app.status.operationState;
    expect(application.status.operationState?.message ?? null).toBe(op?.message ?? null);
    expect(application.status.history).toEqual(app.status.history ?? []);
  });

  it.each(Object.entries(sampleApps))(
    'is accepted by the bot (argocdNotificationSchema) for %s',
    (_name, app) => {
      const result = argocdNotificationSchema.safeParse(JSON.parse(render(event, app)));
      expect(result.error?.issues ?? []).toEqual([]);
      expect(isKnownArgoEvent(result.data?.event ?? '')).toBe(true);
    },
  );
});
