import { buildAppPredicate, toStatusRows } from './app-rows.js';
import { isAuthoredBy } from './asker-identity.js';
import { mapBounded } from './map-bounded.js';
import { classifyRow, compareRows, isOpenCardState } from './status-row.js';
function toOpenRef(card) {
    return {
        cardId: card.id,
        revision: card.revision,
        state: card.state,
        channel: card.channel,
        ts: card.ts,
        approvals: card.approvals.map((a) => a.user),
        requiredApprovals: card.requiredApprovals,
        createdAt: card.createdAt,
        subject: card.to.subject,
        syncWindow: card.syncWindow,
    };
}
async function readOpenCard(deps, row) {
    const current = await deps.repo.currentTarget(row.app);
    return current ? deps.repo.get(current.cardId) : undefined;
}
async function isMine(deps, row, current, who) {
    if (current && isAuthoredBy(current, who))
        return true;
    const deployedSha = row.deployed?.sha;
    if (!deployedSha || deployedSha === current?.revision)
        return false;
    const deployedCard = await deps.repo.findByRevision(row.app, deployedSha);
    return deployedCard !== undefined && isAuthoredBy(deployedCard, who);
}
export async function collectStatusRows(deps, input) {
    const apps = await deps.argocd.listApplications();
    const all = toStatusRows(apps, deps.policy);
    const projects = new Set(all.map((row) => row.app.project));
    const matches = buildAppPredicate(input.filter, deps.policy, projects);
    const candidates = all.filter(matches);
    const enriched = await mapBounded(candidates, deps.concurrency, async (row) => {
        const card = await readOpenCard(deps, row);
        if (input.mine && !(await isMine(deps, row, card, input.mine)))
            return undefined;
        const open = card && isOpenCardState(card.state) && card.revision !== row.deployed?.sha
            ? toOpenRef(card)
            : undefined;
        const withCard = { ...row, open };
        return { ...withCard, problem: classifyRow(withCard) };
    });
    return enriched
        .filter((row) => row !== undefined)
        .filter((row) => !input.pendingOnly || row.open?.state === 'pending' || row.open?.state === 'approved')
        .sort(compareRows);
}
