import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { mapAuthorsToSlack } from '../../../src/cards/map-authors-to-slack.js';
import type { SlackClient } from '../../../src/clients/slack/slack-client.js';
import type { Changelog } from '../../../src/domain/card.js';

const changelog: Changelog = {
  available: true,
  commits: [
    { sha: 'a'.repeat(40), subject: 'mapped by people', authorLogin: 'Dave', authorEmail: 'dave@x.example' },
    { sha: 'b'.repeat(40), subject: 'found by e-mail', authorLogin: 'erin', authorEmail: 'Erin@x.example' },
    {
      sha: 'c'.repeat(40),
      subject: 'unknown to Slack',
      authorLogin: 'frank',
      authorEmail: 'frank@x.example',
    },
    {
      sha: 'd'.repeat(40),
      subject: 'noreply',
      authorLogin: 'gina',
      authorEmail: '1+gina@users.noreply.github.com',
    },
  ],
  totalCommits: 4,
  pulls: [{ number: 7, title: 'PR', url: 'https://github.com/o/r/pull/7', authorLogin: 'dave' }],
  authorLogins: ['dave', 'erin', 'frank', 'gina'],
  authorEmails: [],
};

/** The Slack port as a directory of e-mails; records which addresses were asked for. */
function slackDirectory(byEmail: Record<string, string>, asked: string[]): SlackClient {
  return {
    userIdByEmail: async (email: string) => {
      asked.push(email);
      return byEmail[email.toLowerCase()];
    },
  } as unknown as SlackClient;
}

describe('mapAuthorsToSlack', () => {
  it('uses people first, then users.lookupByEmail for the others, never for noreply addresses', async () => {
    const asked: string[] = [];
    const ids = await mapAuthorsToSlack(changelog, {
      people: [{ slack: 'U0DAVE', github: 'dave' }],
      slack: slackDirectory({ 'erin@x.example': 'U0ERIN' }, asked),
      logger: pino({ level: 'silent' }),
    });
    expect(ids).toMatchObject({
      dave: 'U0DAVE',
      'dave@x.example': 'U0DAVE',
      'erin@x.example': 'U0ERIN',
      erin: 'U0ERIN',
    });
    expect(ids.frank).toBeUndefined();
    expect(asked.sort()).toEqual(['erin@x.example', 'frank@x.example']);
  });

  it('keeps going when a lookup fails', async () => {
    const failing = {
      userIdByEmail: async () => {
        throw new Error('slack down');
      },
    } as unknown as SlackClient;
    const ids = await mapAuthorsToSlack(changelog, {
      people: [],
      slack: failing,
      logger: pino({ level: 'silent' }),
    });
    expect(ids).toEqual({});
  });
});
