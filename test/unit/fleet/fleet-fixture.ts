import type { FleetCard, FleetMember } from '../../../src/domain/fleet-card.js';

export const REV = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const CREATED = Date.parse('2026-03-02T10:00:00Z');

export function member(name: string, wave: number, overrides: Partial<FleetMember> = {}): FleetMember {
  const app = { instance: 'default', namespace: 'argocd', name, project: 'p' };
  return {
    key: `default/argocd/${name}`,
    app,
    wave,
    syncStatus: 'OutOfSync',
    health: 'Healthy',
    deployedRevision: '0f9e8d7c6b5a49382716051423344556677889aa',
    observedAt: CREATED,
    ...overrides,
  };
}

export function fleetCard(overrides: Partial<FleetCard> = {}, count = 3): FleetCard {
  const members = Array.from({ length: count }, (_, i) =>
    member(i === 0 ? 'svc-canary-prod' : `svc-r${String(i).padStart(3, '0')}-prod`, i === 0 ? 0 : 1),
  );
  return {
    id: 'f1',
    group: 'svc-fleet',
    environment: 'prod',
    channel: 'C0PROD',
    ts: '1.1',
    revision: REV,
    to: { sha: REV, subject: 'Tune consumer batch size' },
    state: 'pending',
    members,
    wave: 0,
    waveCount: 2,
    approvals: [],
    requiredApprovals: 1,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...overrides,
  };
}
