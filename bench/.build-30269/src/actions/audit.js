/** Appends to the audit log; a failure is logged loudly but never undoes what already happened. */
export async function audit(ctx, card, entry) {
    try {
        await ctx.store.appendAudit({
            at: ctx.now(),
            app: card.app.name,
            revision: card.revision,
            cardId: card.id,
            ...entry,
        });
    }
    catch (error) {
        ctx.logger.error({ err: error, cardId: card.id, action: entry.action }, 'audit entry could not be written');
    }
}
