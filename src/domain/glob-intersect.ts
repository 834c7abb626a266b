/**
 * Whether two name patterns (`*` any run, `?` one character, everything else literal; see
 * name-pattern.ts) can both match one name. The policy uses it to refuse a fleet `waves` glob that
 * could never match an app of its group. It walks the product of the two patterns' positions once
 * (memoised), so its cost is at most the product of their lengths.
 */
export function globsIntersect(a: string, b: string): boolean {
  const x = collapseStars(a);
  const y = collapseStars(b);
  const seen = new Set<number>();
  const width = y.length + 1;
  const visit = (i: number, j: number): boolean => {
    const key = i * width + j;
    if (seen.has(key)) return false;
    seen.add(key);
    if (i === x.length && j === y.length) return true;
    const p = x[i];
    const q = y[j];
    // A star may match nothing: skip it on either side.
    if (p === '*' && visit(i + 1, j)) return true;
    if (q === '*' && visit(i, j + 1)) return true;
    // A star on one side absorbs one character (or `?`) of the other, staying where it is.
    if (p === '*' && q !== undefined && q !== '*' && visit(i, j + 1)) return true;
    if (q === '*' && p !== undefined && p !== '*' && visit(i + 1, j)) return true;
    // Two single positions meet when either is `?` or both are the same character.
    if (
      p !== undefined &&
      q !== undefined &&
      p !== '*' &&
      q !== '*' &&
      (p === '?' || q === '?' || p === q) &&
      visit(i + 1, j + 1)
    )
      return true;
    return false;
  };
  return visit(0, 0);
}

function collapseStars(pattern: string): string[] {
  const out: string[] = [];
  for (const char of pattern) if (!(char === '*' && out.at(-1) === '*')) out.push(char);
  return out;
}
