import type { TreeEntryMode } from './object-hash.js';
import type { FlatTree, ObjectStore } from './object-store.js';

/** One `tree[]` item of `POST /git/trees`, already validated. */
export type TreeEdit =
  | { path: string; kind: 'delete' }
  | { path: string; kind: 'blob'; mode: TreeEntryMode; sha: string }
  | { path: string; kind: 'submodule'; sha: string }
  | { path: string; kind: 'tree'; sha: string };

function removePath(flat: FlatTree, path: string): void {
  flat.delete(path);
  for (const key of [...flat.keys()]) {
    if (key.startsWith(`${path}/`)) flat.delete(key);
  }
}

/** Applies edits on top of a (flattened) base tree: a null sha deletes, a tree sha replaces a whole directory. */
export function applyTreeEdits(store: ObjectStore, base: FlatTree, edits: readonly TreeEdit[]): FlatTree {
  const result: FlatTree = new Map(base);
  for (const edit of edits) {
    removePath(result, edit.path);
    if (edit.kind === 'blob') result.set(edit.path, { mode: edit.mode, type: 'blob', sha: edit.sha });
    if (edit.kind === 'submodule') result.set(edit.path, { mode: '160000', type: 'commit', sha: edit.sha });
    if (edit.kind === 'tree') {
      for (const [path, entry] of store.flattenTree(edit.sha)) result.set(`${edit.path}/${path}`, entry);
    }
  }
  return result;
}
