import type { FakeState } from '../fake-state.js';
import type { TreeEntry } from '../git/object-hash.js';
import type { RepoState } from '../repo/repo-state.js';
import { encodePath, repoApiUrl, repoHtmlUrl } from './urls.js';

/** GitHub wraps base64 content at 60 characters with `\n`; clients must strip it, so the fake does the same. */
export function wrapBase64(content: Buffer): string {
  const encoded = content.toString('base64');
  return `${encoded.match(/.{1,60}/g)?.join('\n') ?? ''}\n`;
}

function entryKind(entry: TreeEntry): 'file' | 'dir' | 'symlink' | 'submodule' {
  if (entry.type === 'tree') return 'dir';
  if (entry.type === 'commit') return 'submodule';
  return entry.mode === '120000' ? 'symlink' : 'file';
}

/** One item of the contents API, without `content` (a directory listing entry). */
export function serializeContentEntry(
  state: FakeState,
  repo: RepoState,
  path: string,
  entry: TreeEntry,
  ref: string,
) {
  const api = repoApiUrl(state, repo);
  const type = entryKind(entry);
  const self = `${api}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`;
  const git = `${api}/git/${type === 'dir' ? 'trees' : 'blobs'}/${entry.sha}`;
  const html = `${repoHtmlUrl(state, repo)}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${encodePath(path)}`;
  return {
    type,
    size: entry.type === 'blob' ? (repo.objects.getBlob(entry.sha)?.length ?? 0) : 0,
    name: path.split('/').pop() ?? path,
    path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: type === 'file' ? `${state.baseUrl}/raw/${repo.fullName}/${ref}/${encodePath(path)}` : null,
    _links: { self, git, html },
  };
}

export function serializeFileContent(
  state: FakeState,
  repo: RepoState,
  path: string,
  entry: TreeEntry,
  ref: string,
) {
  const content = repo.objects.getBlob(entry.sha) ?? Buffer.alloc(0);
  return {
    ...serializeContentEntry(state, repo, path, entry, ref),
    encoding: 'base64',
    content: wrapBase64(content),
  };
}
