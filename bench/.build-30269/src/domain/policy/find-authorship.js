// GitHub's private commit e-mails carry the login: "12345+alice@users.noreply.github.com".
const NOREPLY = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/;
function normalize(value) {
    const trimmed = value?.trim().toLowerCase();
    return trimmed ? trimmed : undefined;
}
/** Whether the actor authored any commit in the change; the caller fails closed on the unknown kinds. */
export function findAuthorship(actor, changelog) {
    if (!changelog.available)
        return { kind: 'unknown-change' };
    const logins = new Set(changelog.authorLogins.map(normalize).filter((v) => v !== undefined));
    const emails = new Set(changelog.authorEmails.map(normalize).filter((v) => v !== undefined));
    for (const email of emails) {
        const login = NOREPLY.exec(email)?.[1];
        if (login)
            logins.add(login);
    }
    if (logins.size === 0 && emails.size === 0) {
        return changelog.totalCommits > 0 || changelog.commits.length > 0
            ? { kind: 'unknown-change' }
            : { kind: 'not-author' };
    }
    const login = normalize(actor.githubLogin);
    const email = normalize(actor.email);
    if (login && logins.has(login))
        return { kind: 'author', via: 'login', identity: actor.githubLogin?.trim() ?? login };
    if (email && emails.has(email))
        return { kind: 'author', via: 'email', identity: actor.email?.trim() ?? email };
    // Comparing an e-mail against logins only (or the reverse) proves nothing: fail closed.
    const comparable = (login !== undefined && logins.size > 0) || (email !== undefined && emails.size > 0);
    if (!comparable)
        return { kind: 'unknown-actor' };
    return { kind: 'not-author' };
}
