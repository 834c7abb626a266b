export interface Paging {
  page: number;
  perPage: number;
}

function readPositiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number.parseInt(value ?? '', 10);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

export function readPaging(query: Record<string, string>, defaultPerPage = 30): Paging {
  return {
    page: readPositiveInt(query.page, 1),
    perPage: Math.min(readPositiveInt(query.per_page, defaultPerPage), 100),
  };
}

export function takePage<T>(items: readonly T[], paging: Paging): T[] {
  const start = (paging.page - 1) * paging.perPage;
  return items.slice(start, start + paging.perPage);
}

/** GitHub's `Link` header (prev, next, last, first), or undefined when everything fits on one page. */
export function buildLinkHeader(url: URL, paging: Paging, total: number): string | undefined {
  const lastPage = Math.max(1, Math.ceil(total / paging.perPage));
  if (lastPage === 1 && paging.page === 1) return undefined;
  const linkTo = (page: number, rel: string) => {
    const target = new URL(url);
    target.searchParams.set('page', String(page));
    return `<${target.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (paging.page > 1) links.push(linkTo(Math.min(paging.page - 1, lastPage), 'prev'));
  if (paging.page < lastPage) links.push(linkTo(paging.page + 1, 'next'), linkTo(lastPage, 'last'));
  if (paging.page > 1) links.push(linkTo(1, 'first'));
  return links.length > 0 ? links.join(', ') : undefined;
}

/** A paged list answer: the slice plus its Link header. */
export function respondWithPage<T>(
  url: URL,
  items: readonly T[],
  defaultPerPage = 30,
): { status: number; body: T[]; headers: Record<string, string> } {
  const paging = readPaging(Object.fromEntries(url.searchParams), defaultPerPage);
  const link = buildLinkHeader(url, paging, items.length);
  return { status: 200, body: takePage(items, paging), headers: link ? { link } : {} };
}
