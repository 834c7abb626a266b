import { toGitDate } from '../git/object-hash.js';
import { type FlatTree, ObjectStore } from '../git/object-store.js';
import type { CheckRunRecord, DeploymentRecord, PullRecord, StatusRecord } from './records.js';

const FULL_SHA = /^[0-9a-f]{40}$/;
const SHORT_SHA = /^[0-9a-f]{7,39}$/;

export interface CommitFilesInput {
  message: string;
  author: { login?: string | null; name: string; email: string };
  committer?: { login?: string | null; name: string; email: string };
  /** path → new content; null deletes the path. */
  files: Record<string, string | Buffer | null>;
  branch?: string;
  date?: Date | string;
  /** Explicit parents (e.g. a merge); default: the branch head, or the default branch head for a new branch. */
  parents?: string[];
}

/** One repository: its git objects, refs and the GitHub records hanging off commits. */
export class RepoState {
  readonly objects = new ObjectStore();
  /** Full ref name (`refs/heads/main`) → commit sha. */
  readonly refs = new Map<string, string>();
  readonly pulls: PullRecord[] = [];
  readonly checkRuns = new Map<string, CheckRunRecord[]>();
  readonly statuses = new Map<string, StatusRecord[]>();
  readonly deployments: DeploymentRecord[] = [];
  readonly fullName: string;

  constructor(
    readonly owner: string,
    readonly name: string,
    readonly id: number,
    readonly defaultBranch: string,
    readonly createdAt: string,
  ) {
    this.fullName = `${owner}/${name}`;
  }

  headOf(branch: string): string | undefined {
    return this.refs.get(`refs/heads/${branch}`);
  }

  setBranch(branch: string, sha: string): void {
    this.requireCommit(sha);
    this.refs.set(`refs/heads/${branch}`, sha);
  }

  /** A branch, tag, full or abbreviated sha, `heads/x`, `refs/heads/x` or HEAD → commit sha. */
  resolveRef(ref: string): string | undefined {
    if (FULL_SHA.test(ref)) return this.objects.getCommit(ref) ? ref : undefined;
    if (ref === 'HEAD') return this.headOf(this.defaultBranch);
    const candidates = ref.startsWith('refs/')
      ? [ref]
      : [`refs/${ref}`, `refs/heads/${ref}`, `refs/tags/${ref}`];
    for (const candidate of candidates) {
      const sha = this.refs.get(candidate);
      if (sha) return sha;
    }
    if (SHORT_SHA.test(ref)) {
      const matches = [...this.objects.allCommitShas()].filter((sha) => sha.startsWith(ref));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  requireCommit(sha: string) {
    const commit = this.objects.getCommit(sha);
    if (!commit) throw new Error(`${this.fullName} has no commit ${sha}`);
    return commit;
  }

  flatTreeOf(commitSha: string): FlatTree {
    return this.objects.flattenTree(this.requireCommit(commitSha).tree);
  }

  fileAt(ref: string, path: string): string | undefined {
    const sha = this.resolveRef(ref);
    if (!sha) return undefined;
    const entry = this.flatTreeOf(sha).get(path);
    return entry ? this.objects.getBlob(entry.sha)?.toString('utf8') : undefined;
  }

  commitFiles(input: CommitFilesInput, defaultDate: Date): string {
    const branch = input.branch ?? this.defaultBranch;
    const parents = input.parents ?? this.defaultParents(branch);
    const first = parents[0];
    const tree: FlatTree = first ? this.flatTreeOf(first) : new Map();
    for (const [path, content] of Object.entries(input.files)) {
      if (content === null) {
        tree.delete(path);
      } else {
        tree.set(path, { mode: '100644', type: 'blob', sha: this.objects.writeBlob(Buffer.from(content)) });
      }
    }
    const date = toGitDate(input.date ?? defaultDate);
    const committer = input.committer ?? input.author;
    const sha = this.objects.writeCommit(
      {
        tree: this.objects.buildTree(tree),
        parents,
        message: input.message,
        author: { name: input.author.name, email: input.author.email, date },
        committer: { name: committer.name, email: committer.email, date },
      },
      { author: input.author.login ?? null, committer: committer.login ?? null },
    );
    this.setBranch(branch, sha);
    return sha;
  }

  private defaultParents(branch: string): string[] {
    const head = this.headOf(branch) ?? this.headOf(this.defaultBranch);
    return head ? [head] : [];
  }
}
