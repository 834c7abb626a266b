import type { FlatTree, ObjectStore } from './object-store.js';

export interface FileChange {
  filename: string;
  status: 'added' | 'removed' | 'modified';
  /** Blob sha after the change (before it, for a removal), as GitHub reports it. */
  sha: string;
  additions: number;
  deletions: number;
}

// Past this many cells the exact line diff is too slow for a fake; counting whole files is close enough.
const MAX_DIFF_CELLS = 4_000_000;

function splitLines(content: Buffer | undefined): string[] {
  if (!content || content.length === 0) return [];
  const lines = content.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function countCommonLines(before: string[], after: string[]): number {
  if (before.length * after.length > MAX_DIFF_CELLS) return 0;
  let previous = new Array<number>(after.length + 1).fill(0);
  for (const line of before) {
    const current = new Array<number>(after.length + 1).fill(0);
    for (let index = 1; index <= after.length; index += 1) {
      current[index] =
        after[index - 1] === line
          ? previous[index - 1]! + 1
          : Math.max(previous[index]!, current[index - 1]!);
    }
    previous = current;
  }
  return previous[after.length]!;
}

function countLineChanges(before: Buffer | undefined, after: Buffer | undefined) {
  const beforeLines = splitLines(before);
  const afterLines = splitLines(after);
  const common = countCommonLines(beforeLines, afterLines);
  return { additions: afterLines.length - common, deletions: beforeLines.length - common };
}

export function diffFlatTrees(store: ObjectStore, before: FlatTree, after: FlatTree): FileChange[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: FileChange[] = [];
  for (const filename of paths) {
    const old = before.get(filename);
    const next = after.get(filename);
    if (old && next && old.sha === next.sha && old.mode === next.mode) continue;
    const counts = countLineChanges(
      old ? store.getBlob(old.sha) : undefined,
      next ? store.getBlob(next.sha) : undefined,
    );
    const status = !old ? 'added' : !next ? 'removed' : 'modified';
    changes.push({ filename, status, sha: (next ?? old)!.sha, ...counts });
  }
  return changes;
}

export type MergeResult = { merged: FlatTree; conflicts: [] } | { merged: null; conflicts: string[] };

/** A path-level three-way merge; a path changed differently on both sides is a conflict. */
export function mergeFlatTrees(base: FlatTree, ours: FlatTree, theirs: FlatTree): MergeResult {
  const merged: FlatTree = new Map();
  const conflicts: string[] = [];
  const paths = new Set([...base.keys(), ...ours.keys(), ...theirs.keys()]);
  for (const path of paths) {
    const original = base.get(path)?.sha;
    const mine = ours.get(path);
    const other = theirs.get(path);
    let pick = mine;
    if (mine?.sha === original) pick = other;
    else if (other?.sha !== original && other?.sha !== mine?.sha) conflicts.push(path);
    if (pick) merged.set(path, pick);
  }
  return conflicts.length > 0 ? { merged: null, conflicts: conflicts.sort() } : { merged, conflicts: [] };
}
