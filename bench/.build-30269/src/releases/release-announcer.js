import { SlackRateLimitedError } from '../clients/slack/slack-client.js';
import { buildReleaseAnnouncementInput, renderReleaseAnnouncement } from '../render/release-announcement.js';
import { githubWebUrl } from '../workers/render-card.js';
import { isProductionEnvironment } from './is-production-environment.js';
const POST_ATTEMPTS = 3;
/** A production deploy that succeeded and is Healthy. */
export function isReleased(card) {
    return card.state === 'succeeded' && card.health === 'Healthy' && isProductionEnvironment(card.environment);
}
/** The moment a card becomes released; a failed rollback that leaves a card "succeeded" is no new release. */
export function shouldAnnounce({ before, after }) {
    return (isReleased(after) && !after.announced && before.state !== 'succeeded' && before.state !== 'rolling-back');
}
export class ReleaseAnnouncer {
    ctx;
    repo;
    running = new Set();
    constructor(ctx, repo) {
        this.ctx = ctx;
        this.repo = repo;
    }
    /** For the transition listener: never throws, and tracks the work so shutdown can wait for it. */
    onTransition(transition) {
        if (!shouldAnnounce(transition))
            return;
        const work = this.announce(transition.after.id).catch((error) => this.ctx.logger.error({ err: error, cardId: transition.after.id }, 'release announcement failed'));
        this.running.add(work);
        void work.finally(() => this.running.delete(work));
    }
    async announce(cardId) {
        const channel = this.ctx.config.policy.channels.releases;
        if (!channel)
            return 'no-channel';
        const current = await this.repo.get(cardId);
        if (!current || !isReleased(current))
            return 'not-eligible';
        const claimed = await this.repo.update(cardId, (card) => card.announced ? undefined : { ...card, announced: true });
        if (!claimed?.changed)
            return 'already-announced';
        const card = claimed.card;
        const message = await this.render(card);
        const log = this.ctx.logger.child({ cardId, app: card.app.name });
        for (let attempt = 1; attempt <= POST_ATTEMPTS; attempt++) {
            try {
                await this.ctx.slack.postMessage({ channel, ...message });
                log.info({ channel }, 'release announced');
                return 'posted';
            }
            catch (error) {
                // Claimed but not posted: retry a little; after that the announcement is lost (logged), never doubled.
                const waitMs = error instanceof SlackRateLimitedError ? error.retryAfterSec * 1000 : 500 * attempt;
                log.warn({ err: error, attempt }, 'release announcement could not be posted');
                if (attempt < POST_ATTEMPTS)
                    await new Promise((r) => setTimeout(r, Math.min(waitMs, 10_000)).unref());
            }
        }
        return 'failed';
    }
    async render(card) {
        const permalink = card.ts ? await this.ctx.slack.permalink(card.channel, card.ts) : undefined;
        const finished = card.operation?.finishedAt ? Date.parse(card.operation.finishedAt) : Number.NaN;
        return renderReleaseAnnouncement(buildReleaseAnnouncementInput(card, {
            people: this.ctx.config.policy.people,
            deployedAt: Number.isNaN(finished) ? this.ctx.now() : finished,
            githubWebUrl: card.repo ? githubWebUrl(this.ctx.config.env.GITHUB_API_URL) : undefined,
            cardPermalink: permalink,
        }));
    }
    async idle() {
        await Promise.allSettled([...this.running]);
    }
}
