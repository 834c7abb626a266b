import { applyTreeEdits, type TreeEdit } from '../git/apply-tree-entries.js';
import type { TreeEntryMode } from '../git/object-hash.js';
import { invalidRequest, notFound, unprocessable, validationFailed } from '../http/api-error.js';
import { optionalString, readObjectBody, requireArray, requireString } from '../http/body-fields.js';
import type { Route, RouteContext } from '../http/router.js';
import type { RepoState } from '../repo/repo-state.js';
import { wrapBase64 } from '../serialize/content.js';
import { nodeId, repoApiUrl } from '../serialize/urls.js';
import { json, param, repoRoute } from './repo-route.js';

const MODES: readonly TreeEntryMode[] = ['100644', '100755', '040000', '160000', '120000'];
// GitHub's answer when a sha in a tree request names no such object.
const BAD_OBJECT = 'GitRPC::BadObjectState';

function readMode(value: unknown): TreeEntryMode {
  const mode = MODES.find((candidate) => candidate === value);
  if (!mode)
    throw invalidRequest(
      `For 'properties/mode', ${JSON.stringify(value)} is not one of ${MODES.join(', ')}.`,
    );
  return mode;
}

function readTreeEdit(repo: RepoState, raw: unknown): TreeEdit {
  const item = readObjectBody(raw);
  const path = requireString(item, 'path').replace(/^\/+|\/+$/g, '');
  const mode = readMode(item.mode);
  const type = optionalString(item, 'type') ?? (mode === '040000' ? 'tree' : 'blob');
  const content = optionalString(item, 'content');
  if (item.sha === null) return { path, kind: 'delete' };
  const sha = optionalString(item, 'sha');
  if (sha !== undefined && content !== undefined) {
    throw validationFailed([
      {
        resource: 'Tree',
        code: 'custom',
        field: 'tree',
        message: 'Must supply either tree.sha or tree.content, not both',
      },
    ]);
  }
  if (content !== undefined)
    return { path, kind: 'blob', mode, sha: repo.objects.writeBlob(Buffer.from(content)) };
  if (sha === undefined) throw invalidRequest(`"sha" or "content" wasn't supplied for ${path}.`);
  if (type === 'commit') return { path, kind: 'submodule', sha };
  if (repo.objects.typeOf(sha) !== type) throw unprocessable(BAD_OBJECT);
  return type === 'tree' ? { path, kind: 'tree', sha } : { path, kind: 'blob', mode, sha };
}

function serializeTree(context: RouteContext, repo: RepoState, sha: string, recursive: boolean) {
  const api = repoApiUrl(context.state, repo);
  const entries = recursive
    ? repo.objects.listTreeRecursive(sha)
    : (repo.objects.getTree(sha) ?? []).map((entry) => ({ ...entry, path: entry.name }));
  return {
    sha,
    url: `${api}/git/trees/${sha}`,
    tree: entries.map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.type === 'blob'
        ? { size: repo.objects.getBlob(entry.sha)?.length ?? 0, url: `${api}/git/blobs/${entry.sha}` }
        : entry.type === 'tree'
          ? { url: `${api}/git/trees/${entry.sha}` }
          : {}),
    })),
    truncated: false,
  };
}

function createTree(context: RouteContext, repo: RepoState) {
  const body = readObjectBody(context.body);
  const baseTree = optionalString(body, 'base_tree');
  if (baseTree !== undefined && repo.objects.typeOf(baseTree) !== 'tree') throw unprocessable(BAD_OBJECT);
  const edits = requireArray(body, 'tree').map((item) => readTreeEdit(repo, item));
  const base = baseTree ? repo.objects.flattenTree(baseTree) : new Map();
  const sha = repo.objects.buildTree(applyTreeEdits(repo.objects, base, edits));
  return json(serializeTree(context, repo, sha, false), 201);
}

export const gitTreeRoutes: Route[] = [
  repoRoute('GET', '/git/trees/:sha', (context, repo) => {
    const requested = param(context, 'sha');
    const commit = repo.objects.typeOf(requested) === 'tree' ? undefined : repo.resolveRef(requested);
    const sha = commit ? repo.requireCommit(commit).tree : requested;
    if (repo.objects.typeOf(sha) !== 'tree') throw notFound();
    return json(serializeTree(context, repo, sha, context.query.recursive !== undefined));
  }),

  repoRoute('POST', '/git/trees', createTree),

  repoRoute('GET', '/git/blobs/:sha', (context, repo) => {
    const sha = param(context, 'sha');
    const content = repo.objects.getBlob(sha);
    if (!content) throw notFound();
    return json({
      sha,
      node_id: nodeId('Blob', sha),
      size: content.length,
      url: `${repoApiUrl(context.state, repo)}/git/blobs/${sha}`,
      content: wrapBase64(content),
      encoding: 'base64',
    });
  }),

  repoRoute('POST', '/git/blobs', (context, repo) => {
    const body = readObjectBody(context.body);
    const content = requireString(body, 'content');
    const encoding = optionalString(body, 'encoding') ?? 'utf-8';
    if (encoding !== 'utf-8' && encoding !== 'base64') {
      throw validationFailed([{ resource: 'Blob', field: 'encoding', code: 'invalid', value: encoding }]);
    }
    const sha = repo.objects.writeBlob(Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'));
    return json({ url: `${repoApiUrl(context.state, repo)}/git/blobs/${sha}`, sha }, 201);
  }),
];
