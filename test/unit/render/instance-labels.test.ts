import { describe, expect, it } from 'vitest';
import { githubEnvironmentName } from '../../../src/github-deployments/deployment-status-for.js';
import { formatDeployTitle } from '../../../src/render/card-format.js';
import { renderDeployCard } from '../../../src/render/deploy-card.js';
import {
  buildReleaseAnnouncementInput,
  renderReleaseAnnouncement,
} from '../../../src/render/release-announcement.js';
import { makeCard, makeContext, NOW } from './card-fixture.js';

describe('an app of a named Argo CD instance is <instance>/<app> wherever it is named', () => {
  const eu = makeCard();
  const euCard = { ...eu, app: { ...eu.app, instance: 'eu' } };

  it('on the card, its thread title, its release announcement and its GitHub environment', () => {
    const name = euCard.app.name;
    const card = renderDeployCard(euCard, makeContext());
    expect(JSON.stringify(card.blocks)).toContain(`eu/${name} → ${euCard.environment}`);
    expect(formatDeployTitle(euCard)).toContain(`eu/${name}`);
    const announcement = renderReleaseAnnouncement(
      buildReleaseAnnouncementInput(euCard, { people: [], deployedAt: NOW }),
    );
    expect(announcement.text).toContain(`eu/${name}`);
    expect(githubEnvironmentName(euCard)).toBe(`${euCard.environment}/eu/${name}`);
  });

  it('the default instance reads as before instances existed', () => {
    const card = makeCard();
    expect(card.app.instance).toBe('default');
    expect(JSON.stringify(renderDeployCard(card, makeContext()).blocks)).not.toContain('default/');
    expect(formatDeployTitle(card)).not.toContain('default/');
    expect(githubEnvironmentName(card)).toBe(`${card.environment}/${card.app.name}`);
  });
});
