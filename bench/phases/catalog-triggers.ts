import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const CATALOG = new URL('../contracts/argocd-notifications-catalog.yaml', import.meta.url);

/** One moment of an approved manual deploy, as Argo CD's application status shows it. */
interface LifecycleState {
  label: string;
  syncStatus: 'OutOfSync' | 'Synced' | 'Unknown';
  health: 'Healthy' | 'Progressing' | 'Degraded';
  operationPhase?: 'Running' | 'Succeeded' | 'Failed' | 'Error';
  deleted?: boolean;
  /** Health turned Healthy after the operation finished (what on-deployed's time test looks for). */
  healthyAfterFinish?: boolean;
}

/** The same lifecycle deploybot goes through in bench/phases/quietness.ts. */
const DEPLOY_LIFECYCLE: LifecycleState[] = [
  { label: 'new revision in Git', syncStatus: 'OutOfSync', health: 'Healthy' },
  { label: 'sync running', syncStatus: 'OutOfSync', health: 'Healthy', operationPhase: 'Running' },
  {
    label: 'sync succeeded, rolling out',
    syncStatus: 'Synced',
    health: 'Progressing',
    operationPhase: 'Succeeded',
  },
  {
    label: 'healthy',
    syncStatus: 'Synced',
    health: 'Healthy',
    operationPhase: 'Succeeded',
    healthyAfterFinish: true,
  },
];

/**
 * Each catalog trigger's `when`, for the states above, with the words of the expression that the
 * reading rests on: if upstream rewrites a condition, the check below fails instead of miscounting.
 */
const CONDITIONS: Record<string, { mustMention: string[]; holds: (s: LifecycleState) => boolean }> = {
  // `when: "true"` once per app name: it fired when the app was created, never again for a deploy.
  'on-created': { mustMention: [], holds: () => false },
  'on-deleted': { mustMention: ['deletionTimestamp'], holds: (s) => s.deleted === true },
  'on-deployed': {
    mustMention: ["['Succeeded']", "'Healthy'", 'lastTransitionTime'],
    holds: (s) => s.operationPhase === 'Succeeded' && s.health === 'Healthy' && s.healthyAfterFinish === true,
  },
  'on-health-degraded': { mustMention: ["'Degraded'"], holds: (s) => s.health === 'Degraded' },
  'on-sync-failed': {
    mustMention: ["'Error'", "'Failed'"],
    holds: (s) => s.operationPhase === 'Error' || s.operationPhase === 'Failed',
  },
  'on-sync-running': { mustMention: ["['Running']"], holds: (s) => s.operationPhase === 'Running' },
  'on-sync-status-unknown': { mustMention: ["'Unknown'"], holds: (s) => s.syncStatus === 'Unknown' },
  'on-sync-succeeded': { mustMention: ["['Succeeded']"], holds: (s) => s.operationPhase === 'Succeeded' },
};

export interface CatalogCount {
  /** Triggers that fire at least once in the lifecycle (each fires once: oncePer the synced revision). */
  fired: string[];
  /** Slack messages they post: one per template sent, each a new top-level message (empty groupingKey). */
  messages: number;
  topLevel: number;
}

interface TriggerEntry {
  when: string;
  send: string[];
  oncePer?: string;
}

/** Counts what Argo CD Notifications' default catalog posts to Slack for one approved deploy. */
export function countCatalogMessages(text = readFileSync(CATALOG, 'utf8')): CatalogCount {
  const data = (parse(text) as { data: Record<string, string> }).data;
  const fired: string[] = [];
  let messages = 0;
  let topLevel = 0;
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith('trigger.')) continue;
    const name = key.slice('trigger.'.length);
    const condition = CONDITIONS[name];
    if (!condition) throw new Error(`the catalog has a trigger the bench cannot read: ${name}`);
    for (const entry of parse(value) as TriggerEntry[]) {
      const when = String(entry.when);
      const unread = condition.mustMention.filter((word) => !when.includes(word));
      if (unread.length > 0)
        throw new Error(
          `catalog trigger ${name} changed: its condition no longer mentions ${unread.join(', ')}`,
        );
      if (!DEPLOY_LIFECYCLE.some(condition.holds)) continue;
      fired.push(name);
      for (const template of entry.send) {
        messages++;
        const slack = parse(data[`template.${template}`] ?? '') as {
          slack?: { groupingKey?: string };
        } | null;
        if (!slack?.slack?.groupingKey) topLevel++;
      }
    }
  }
  return { fired, messages, topLevel };
}
