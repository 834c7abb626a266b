import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Policy } from '../config/policy-schema.js';
import type { Changelog } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';

const LOOKUPS_MAX = 20;

/**
 * Who wrote the change, as Slack users: the policy's `people` first (by GitHub login or e-mail), then
 * Slack's users.lookupByEmail for the commit e-mails nobody mapped. A lookup failure leaves the login shown.
 */
export async function mapAuthorsToSlack(
  changelog: Changelog,
  { people, slack, logger }: { people: Policy['people']; slack: SlackClient; logger: Logger },
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const person of people) {
    ids[person.github.toLowerCase()] = person.slack;
    if (person.email) ids[person.email.toLowerCase()] = person.slack;
  }
  const found: Record<string, string> = {};
  const unmapped: string[] = [];
  for (const commit of changelog.commits) {
    const login = commit.authorLogin?.toLowerCase();
    const email = commit.authorEmail?.toLowerCase();
    const known = (login && ids[login]) || (email && ids[email]);
    if (known) {
      if (login) found[login] = known;
      if (email) found[email] = known;
    } else if (email && !email.endsWith('@users.noreply.github.com') && !unmapped.includes(email))
      unmapped.push(email);
  }
  for (const pull of changelog.pulls) {
    const login = pull.authorLogin?.toLowerCase();
    if (login && ids[login]) found[login] = ids[login];
  }
  for (const email of unmapped.slice(0, LOOKUPS_MAX)) {
    try {
      const id = await slack.userIdByEmail(email);
      if (!id) continue;
      found[email] = id;
      for (const commit of changelog.commits)
        if (commit.authorEmail?.toLowerCase() === email && commit.authorLogin)
          found[commit.authorLogin.toLowerCase()] = id;
    } catch (error) {
      logger.debug({ err: error }, 'users.lookupByEmail failed; the author stays a GitHub login');
    }
  }
  return found;
}
