import type { CardRepository } from '../cards/card-repository.js';
import type { Card } from '../domain/card.js';

export function sameRepo(card: Pick<Card, 'repo'>, fullName: string): boolean {
  return (
    card.repo !== undefined && `${card.repo.owner}/${card.repo.name}`.toLowerCase() === fullName.toLowerCase()
  );
}

/** Active cards of a repository, optionally only those targeting one commit. */
export async function findActiveCards(
  repo: Pick<CardRepository, 'activeIds' | 'get'>,
  fullName: string,
  match: (card: Card) => boolean,
): Promise<Card[]> {
  const found: Card[] = [];
  for (const id of await repo.activeIds()) {
    const card = await repo.get(id);
    if (card && sameRepo(card, fullName) && match(card)) found.push(card);
  }
  return found;
}
