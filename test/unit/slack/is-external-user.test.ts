import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isExternalUser, type PayloadIdentity } from '../../../src/slack/is-external-user.js';

const example = JSON.parse(
  readFileSync(
    new URL('../../sandbox/fake-slack/fixtures/example-block-actions.json', import.meta.url),
    'utf8',
  ),
) as PayloadIdentity;

describe('isExternalUser (from the signed payload)', () => {
  it("Slack's example block_actions: a member of the installing workspace", () => {
    expect(isExternalUser(example)).toBe(false);
  });

  it('Slack Connect: user.team_id is another workspace than team.id', () => {
    expect(isExternalUser({ ...example, user: { team_id: 'T0OTHERCO' } })).toBe(true);
  });

  it('Enterprise Grid: user.team_id is the organization (E…) that the payload names', () => {
    const grid: PayloadIdentity = {
      user: { team_id: 'E0ACME' },
      team: { id: 'T0ACMEENG', enterprise_id: 'E0ACME' },
      enterprise: { id: 'E0ACME' },
    };
    expect(isExternalUser(grid)).toBe(false);
    // An org-wide install may send no team at all.
    expect(isExternalUser({ user: { team_id: 'E0ACME' }, team: null, enterprise: { id: 'E0ACME' } })).toBe(
      false,
    );
  });

  it('Enterprise Grid: a user of another organization is external', () => {
    const other: PayloadIdentity = {
      user: { team_id: 'E0OTHER' },
      team: { id: 'T0ACMEENG', enterprise_id: 'E0ACME' },
      enterprise: { id: 'E0ACME' },
    };
    expect(isExternalUser(other)).toBe(true);
  });

  it('a modal submission: the installing workspace is also in view.app_installed_team_id', () => {
    expect(
      isExternalUser({ user: { team_id: 'T0HOME' }, team: null, view: { app_installed_team_id: 'T0HOME' } }),
    ).toBe(false);
  });

  it('fails closed when the payload does not say where the user or the app is from', () => {
    expect(isExternalUser({ user: {}, team: { id: 'T0HOME' } })).toBe(true);
    expect(isExternalUser({ user: { team_id: 'T0HOME' }, team: null, enterprise: null })).toBe(true);
  });
});
