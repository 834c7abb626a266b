import { describe, expect, it } from 'vitest';
import { renderArgoCdApps } from '../../../sandbox/console/render-argocd.js';

describe('the console Argo CD panel', () => {
  it('names the instance of each app when there are several, escaped', () => {
    const html = renderArgoCdApps([
      {
        instance: 'eu',
        app: 'event-ingestion-eu-prod',
        sync: 'OutOfSync',
        health: 'Healthy',
        revision: 'abcdef0123',
      },
      { instance: 'us', app: 'a<b', sync: 'Synced', health: 'Degraded', operation: 'Failed' },
    ]);
    expect(html).toContain('>eu/event-ingestion-eu-prod</span><small>OutOfSync · Healthy · abcdef0</small>');
    expect(html).toContain('>us/a&lt;b</span><small>Synced · Degraded · Failed</small>');
  });

  it('shows bare names with one instance', () => {
    const html = renderArgoCdApps([
      { instance: 'default', app: 'kafka-prod', sync: 'Synced', health: 'Healthy' },
    ]);
    expect(html).toContain('>kafka-prod</span>');
    expect(html).not.toContain('default/');
    expect(renderArgoCdApps([])).toContain('No applications.');
  });
});
