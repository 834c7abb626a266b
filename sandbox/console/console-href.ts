/** What a console page shows; every link and the live-update request carry it in the query string. */
export interface ConsoleLocation {
  user: string;
  channel: string;
  thread?: string;
}

export function consoleHref(location: ConsoleLocation, path = '/'): string {
  const query = new URLSearchParams({ user: location.user, channel: location.channel });
  if (location.thread) query.set('thread', location.thread);
  return `${path}?${query.toString()}`;
}

/** `1795666898.486000` → `msg-1795666898-486000`, a valid fragment id for permalinks. */
export function messageAnchor(ts: string): string {
  return `msg-${ts.replace('.', '-')}`;
}
