const MAX_ENTRIES = 5000;
/** Permalinks never change, so each card's is asked of Slack once per process. */
export class PermalinkCache {
    slack;
    links = new Map();
    constructor(slack) {
        this.slack = slack;
    }
    async get(channel, ts) {
        const key = `${channel}/${ts}`;
        const hit = this.links.get(key);
        if (hit)
            return hit;
        const link = await this.slack.permalink(channel, ts).catch(() => undefined);
        if (link) {
            if (this.links.size >= MAX_ENTRIES) {
                const oldest = this.links.keys().next().value;
                if (oldest !== undefined)
                    this.links.delete(oldest);
            }
            this.links.set(key, link);
        }
        return link;
    }
}
