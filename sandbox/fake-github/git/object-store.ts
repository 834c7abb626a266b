import {
  type CommitContent,
  hashBlob,
  hashCommit,
  hashTree,
  sortTreeEntries,
  type TreeEntry,
  type TreeEntryMode,
} from './object-hash.js';

export interface StoredCommit extends CommitContent {
  sha: string;
  /** GitHub account the author email belongs to, if any; the REST `author` object comes from it. */
  authorLogin: string | null;
  committerLogin: string | null;
}

interface FlatEntry {
  mode: TreeEntryMode;
  type: 'blob' | 'commit';
  sha: string;
}

/** A path → entry view of a tree, the shape every edit works on before the tree is rebuilt. */
export type FlatTree = Map<string, FlatEntry>;

export interface RecursiveTreeEntry extends TreeEntry {
  path: string;
}

export type GitObjectType = 'blob' | 'tree' | 'commit';

/** Content-addressed git objects of one repository; hashes are real git object ids. */
export class ObjectStore {
  private readonly blobs = new Map<string, Buffer>();
  private readonly trees = new Map<string, TreeEntry[]>();
  private readonly commits = new Map<string, StoredCommit>();

  writeBlob(content: Buffer): string {
    const sha = hashBlob(content);
    this.blobs.set(sha, content);
    return sha;
  }

  getBlob(sha: string): Buffer | undefined {
    return this.blobs.get(sha);
  }

  writeTree(entries: readonly TreeEntry[]): string {
    const sorted = sortTreeEntries(entries);
    const sha = hashTree(sorted);
    this.trees.set(sha, sorted);
    return sha;
  }

  getTree(sha: string): readonly TreeEntry[] | undefined {
    return this.trees.get(sha);
  }

  writeCommit(content: CommitContent, logins: { author: string | null; committer: string | null }): string {
    const sha = hashCommit(content);
    if (!this.commits.has(sha)) {
      this.commits.set(sha, {
        ...content,
        parents: [...content.parents],
        sha,
        authorLogin: logins.author,
        committerLogin: logins.committer,
      });
    }
    return sha;
  }

  getCommit(sha: string): StoredCommit | undefined {
    return this.commits.get(sha);
  }

  typeOf(sha: string): GitObjectType | undefined {
    if (this.commits.has(sha)) return 'commit';
    if (this.trees.has(sha)) return 'tree';
    if (this.blobs.has(sha)) return 'blob';
    return undefined;
  }

  allCommitShas(): IterableIterator<string> {
    return this.commits.keys();
  }

  flattenTree(treeSha: string, prefix = '', into: FlatTree = new Map()): FlatTree {
    for (const entry of this.requireTree(treeSha)) {
      const path = `${prefix}${entry.name}`;
      if (entry.type === 'tree') {
        this.flattenTree(entry.sha, `${path}/`, into);
      } else {
        into.set(path, { mode: entry.mode, type: entry.type, sha: entry.sha });
      }
    }
    return into;
  }

  buildTree(flat: FlatTree): string {
    const files: TreeEntry[] = [];
    const directories = new Map<string, FlatTree>();
    for (const [path, entry] of flat) {
      const slash = path.indexOf('/');
      if (slash === -1) {
        files.push({ name: path, ...entry });
        continue;
      }
      const directory = path.slice(0, slash);
      const children = directories.get(directory) ?? new Map<string, FlatEntry>();
      children.set(path.slice(slash + 1), entry);
      directories.set(directory, children);
    }
    for (const [name, children] of directories) {
      files.push({ name, mode: '040000', type: 'tree', sha: this.buildTree(children) });
    }
    return this.writeTree(files);
  }

  /** Every entry under a tree, directories before their contents, as `GET git/trees?recursive=1` lists them. */
  listTreeRecursive(treeSha: string, prefix = ''): RecursiveTreeEntry[] {
    const listed: RecursiveTreeEntry[] = [];
    for (const entry of this.requireTree(treeSha)) {
      const path = `${prefix}${entry.name}`;
      listed.push({ ...entry, path });
      if (entry.type === 'tree') {
        listed.push(...this.listTreeRecursive(entry.sha, `${path}/`));
      }
    }
    return listed;
  }

  /** The entry at a path inside a tree ('' is the tree itself). */
  entryAt(treeSha: string, path: string): TreeEntry | undefined {
    const segments = path.split('/').filter((segment) => segment !== '');
    let current: TreeEntry = { name: '', mode: '040000', type: 'tree', sha: treeSha };
    for (const segment of segments) {
      if (current.type !== 'tree') return undefined;
      const next = this.requireTree(current.sha).find((entry) => entry.name === segment);
      if (!next) return undefined;
      current = next;
    }
    return current;
  }

  private requireTree(sha: string): readonly TreeEntry[] {
    const tree = this.trees.get(sha);
    if (!tree) throw new Error(`tree ${sha} is not in the object store`);
    return tree;
  }
}
