/** The policy's `people` first; Slack's profile e-mail (users.info) as well, for people not listed. */
export async function resolveAskerIdentity(policy, slack, userId, logger) {
    const logins = new Set();
    const emails = new Set();
    for (const person of policy.people) {
        if (person.slack !== userId)
            continue;
        logins.add(person.github.toLowerCase());
        if (person.email)
            emails.add(person.email.toLowerCase());
    }
    try {
        const email = await slack.userEmail(userId);
        if (email)
            emails.add(email.toLowerCase());
    }
    catch (error) {
        logger.warn({ err: error, user: userId }, 'could not read the Slack profile e-mail for "mine"');
    }
    return { logins, emails };
}
const EMAIL_IN_AUTHOR = /<([^<>\s]+@[^<>\s]+)>/;
/** True when a commit in the card's change, or its target commit, was written by the asker. */
export function isAuthoredBy(card, who) {
    if (who.logins.size === 0 && who.emails.size === 0)
        return false;
    const { changelog } = card;
    if (changelog.authorLogins.some((login) => who.logins.has(login.toLowerCase())))
        return true;
    if (changelog.authorEmails.some((email) => who.emails.has(email.toLowerCase())))
        return true;
    for (const commit of changelog.commits) {
        if (commit.authorLogin && who.logins.has(commit.authorLogin.toLowerCase()))
            return true;
        if (commit.authorEmail && who.emails.has(commit.authorEmail.toLowerCase()))
            return true;
    }
    const email = card.to.author ? EMAIL_IN_AUTHOR.exec(card.to.author)?.[1] : undefined;
    return email !== undefined && who.emails.has(email.toLowerCase());
}
