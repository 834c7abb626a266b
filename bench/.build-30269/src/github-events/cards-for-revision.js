export function sameRepo(card, fullName) {
    return (card.repo !== undefined && `${card.repo.owner}/${card.repo.name}`.toLowerCase() === fullName.toLowerCase());
}
/** Active cards of a repository, optionally only those targeting one commit. */
export async function findActiveCards(repo, fullName, match) {
    const found = [];
    for (const id of await repo.activeIds()) {
        const card = await repo.get(id);
        if (card && sameRepo(card, fullName) && match(card))
            found.push(card);
    }
    return found;
}
