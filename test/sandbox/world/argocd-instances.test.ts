import { describe, expect, it } from 'vitest';
import {
  appLabel,
  checkInstanceNames,
  instanceEnvPrefix,
  multiInstanceEnv,
} from '../../../sandbox/world/argocd-instances.js';

describe('the world instance helpers', () => {
  it('names variables as INTERFACE.md does: upper-cased, - becomes _', () => {
    expect(instanceEnvPrefix('eu')).toBe('ARGOCD_EU_');
    expect(instanceEnvPrefix('eu-west-1')).toBe('ARGOCD_EU_WEST_1_');
    expect(Object.keys(multiInstanceEnv({ 'eu-west': 'http://a', us: 'http://b' }))).toEqual([
      'ARGOCD_INSTANCES',
      'ARGOCD_EU_WEST_URL',
      'ARGOCD_EU_WEST_TOKEN',
      'ARGOCD_EU_WEST_WEBHOOK_SECRET',
      'ARGOCD_EU_WEST_UI_URL',
      'ARGOCD_US_URL',
      'ARGOCD_US_TOKEN',
      'ARGOCD_US_WEBHOOK_SECRET',
      'ARGOCD_US_UI_URL',
    ]);
    expect(multiInstanceEnv({ 'eu-west': 'http://a', us: 'http://b' }).ARGOCD_INSTANCES).toBe('eu-west,us');
  });

  it('lists every bad name at once', () => {
    expect(checkInstanceNames(['eu', 'us-2'])).toEqual(['eu', 'us-2']);
    expect(() => checkInstanceNames(['eu', 'US', 'a_b', 'eu'])).toThrow(
      'world instances: "US" is not an instance name ([a-z0-9-]+); "a_b" is not an instance name ([a-z0-9-]+); "eu" is named twice',
    );
  });

  it('labels apps with their instance only when there are several', () => {
    expect(appLabel('eu', 'event-ingestion-prod', true)).toBe('eu/event-ingestion-prod');
    expect(appLabel('default', 'event-ingestion-prod', false)).toBe('event-ingestion-prod');
  });
});
