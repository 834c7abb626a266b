import { ACTIVE_OPERATION_STATES, TERMINAL_STATES } from '../domain/card.js';
import { findActiveCards } from './cards-for-revision.js';
import { Coalescer } from './coalescer.js';
function sameChecks(a, b) {
    return (a.state === b.state &&
        a.total === b.total &&
        a.failing.join('\n') === b.failing.join('\n') &&
        a.pendingNames.join('\n') === b.pendingNames.join('\n'));
}
export class ChecksRefresher {
    ctx;
    cards;
    coalescer;
    constructor(ctx, cards) {
        this.ctx = ctx;
        this.cards = cards;
        this.coalescer = new Coalescer((error, key) => ctx.logger.warn({ err: error, commit: key }, 'could not refresh the checks of a commit'));
    }
    /** Resolves when this commit's refresh (and any folded into it) has run. */
    request(repoFullName, sha, log = this.ctx.logger) {
        return this.coalescer.request(`${repoFullName.toLowerCase()}@${sha}`, async () => {
            await this.refresh(repoFullName, sha, log);
        });
    }
    /** Returns how many cards changed. */
    async refresh(repoFullName, sha, log = this.ctx.logger) {
        const github = this.ctx.github;
        if (!github)
            return 0;
        const targets = await findActiveCards(this.cards.repo, repoFullName, (card) => card.revision === sha && !TERMINAL_STATES.has(card.state) && !ACTIVE_OPERATION_STATES.has(card.state));
        if (targets.length === 0)
            return 0;
        const [owner = '', name = ''] = repoFullName.split('/');
        const checks = await github.checks({ owner, name }, sha);
        let changed = 0;
        for (const target of targets) {
            let before;
            const updated = await this.cards.change(target.id, (card) => {
                before = card.checks;
                return sameChecks(card.checks, checks)
                    ? undefined
                    : { ...card, checks: { ...checks, url: card.checks.url } };
            });
            if (!updated || !before || sameChecks(before, checks))
                continue;
            changed++;
            log.info({ cardId: target.id, from: before.state, to: checks.state }, 'card checks refreshed');
            if (before.state !== checks.state)
                this.cards.note(target.id, { type: 'checks-changed', checks });
        }
        return changed;
    }
    idle() {
        return this.coalescer.idle();
    }
}
