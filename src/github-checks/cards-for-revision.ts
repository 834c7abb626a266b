import type { CardRepository } from '../cards/card-repository.js';
import type { Card } from '../domain/card.js';

function sameRepo(card: Pick<Card, 'repo'>, fullName: string): boolean {
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

/**
 * Cards of a repository that deploy one commit, from the commit's index: a storm of CI events for
 * commits without a card costs one small read each, not a read of every active card.
 */
export async function findCardsOfRevision(
  repo: Pick<CardRepository, 'ofRevision'>,
  fullName: string,
  revision: string,
  match: (card: Card) => boolean,
): Promise<Card[]> {
  return (await repo.ofRevision(revision)).filter((card) => sameRepo(card, fullName) && match(card));
}
