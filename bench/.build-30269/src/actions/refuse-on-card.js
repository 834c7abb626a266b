import { audit } from './audit.js';
/**
 * An allowed action that could not run (Argo CD refused, another operation runs...): the card says so
 * in plain words, the thread and the audit log record it, and the card stays actionable.
 */
export async function refuseOnCard({ ctx, cards }, cardId, action, message, { failFrom = [], user } = {}) {
    let failed = false;
    const card = await cards.change(cardId, (c) => {
        failed = failFrom.includes(c.state);
        if (!failed)
            return { ...c, notice: message };
        return {
            ...c,
            state: 'failed',
            notice: undefined,
            operation: {
                ...c.operation,
                phase: 'Failed',
                message,
                finishedAt: new Date(ctx.now()).toISOString(),
            },
        };
    });
    if (card) {
        await audit(ctx, card, { action, outcome: 'refused', user, detail: message });
        // A move to failed is noted by the card service itself ("Sync of … failed: <message>").
        if (!failed)
            cards.note(cardId, { type: 'refused', action, message });
    }
    return { kind: 'refused', message };
}
