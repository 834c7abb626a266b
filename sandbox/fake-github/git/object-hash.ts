import { createHash } from 'node:crypto';

/** Who wrote or committed a commit, as git stores it. */
export interface GitSignature {
  name: string;
  email: string;
  /** ISO 8601, second precision (git keeps no more). */
  date: string;
}

export type TreeEntryMode = '100644' | '100755' | '040000' | '120000' | '160000';

export interface TreeEntry {
  name: string;
  mode: TreeEntryMode;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

function hashObject(kind: string, body: Buffer): string {
  const header = Buffer.from(`${kind} ${body.length}\0`);
  return createHash('sha1').update(header).update(body).digest('hex');
}

export function hashBlob(content: Buffer): string {
  return hashObject('blob', content);
}

// Git orders tree entries as if directory names ended in '/', so 'a.txt' sorts before the directory 'a'.
function compareTreeEntries(left: TreeEntry, right: TreeEntry): number {
  const leftKey = left.type === 'tree' ? `${left.name}/` : left.name;
  const rightKey = right.type === 'tree' ? `${right.name}/` : right.name;
  return Buffer.compare(Buffer.from(leftKey), Buffer.from(rightKey));
}

export function sortTreeEntries(entries: readonly TreeEntry[]): TreeEntry[] {
  return [...entries].sort(compareTreeEntries);
}

export function hashTree(sortedEntries: readonly TreeEntry[]): string {
  const parts = sortedEntries.map((entry) => {
    // The object format writes directory modes without the leading zero the API shows.
    const mode = entry.mode === '040000' ? '40000' : entry.mode;
    return Buffer.concat([Buffer.from(`${mode} ${entry.name}\0`), Buffer.from(entry.sha, 'hex')]);
  });
  return hashObject('tree', Buffer.concat(parts));
}

function formatSignature(signature: GitSignature): string {
  const seconds = Math.floor(Date.parse(signature.date) / 1000);
  return `${signature.name} <${signature.email}> ${seconds} +0000`;
}

export interface CommitContent {
  tree: string;
  parents: readonly string[];
  author: GitSignature;
  committer: GitSignature;
  message: string;
}

export function hashCommit(commit: CommitContent): string {
  const lines = [`tree ${commit.tree}`, ...commit.parents.map((parent) => `parent ${parent}`)];
  lines.push(`author ${formatSignature(commit.author)}`, `committer ${formatSignature(commit.committer)}`);
  return hashObject('commit', Buffer.from(`${lines.join('\n')}\n\n${commit.message}`));
}

/** Git keeps whole seconds; the API prints them without milliseconds. */
export function toGitDate(date: Date | string): string {
  const parsed = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(parsed.getTime())) {
    throw new Error(`invalid commit date: ${String(date)}`);
  }
  return `${parsed.toISOString().slice(0, 19)}Z`;
}
