import { NothingToRevertError, } from '../../actions/revert-port.js';
const MAX_BRANCH_ATTEMPTS = 20;
/** Argo CD paths may be written `./a/b/`; '' stands for the whole repository. */
export function normalizeAppPath(path) {
    const trimmed = path
        .trim()
        .replace(/^(\.\/)+/, '')
        .replace(/^\/+|\/+$/g, '');
    return trimmed === '.' ? '' : trimmed;
}
function isUnder(path, root) {
    return root === '' || path === root || path.startsWith(`${root}/`);
}
function statusOf(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}
/** Files (and submodules) under `root` in a tree; falls back to the path's own subtree when GitHub truncates. */
async function listLeaves(octokit, repo, treeSha, root) {
    const whole = await octokit.rest.git.getTree({
        owner: repo.owner,
        repo: repo.name,
        tree_sha: treeSha,
        recursive: 'true',
    });
    if (!whole.data.truncated)
        return toLeaves(whole.data.tree, '').filter((leaf) => isUnder(leaf.path, root));
    const subtree = await findSubtree(octokit, repo, treeSha, root);
    if (!subtree)
        return [];
    const part = await octokit.rest.git.getTree({
        owner: repo.owner,
        repo: repo.name,
        tree_sha: subtree,
        recursive: 'true',
    });
    if (part.data.truncated)
        throw new Error(`${root} holds too many files for GitHub's tree listing; revert it by hand`);
    return toLeaves(part.data.tree, root);
}
function toLeaves(entries, prefix) {
    const leaves = [];
    for (const entry of entries) {
        if ((entry.type !== 'blob' && entry.type !== 'commit') || !entry.path || !entry.sha || !entry.mode)
            continue;
        leaves.push({
            path: prefix ? `${prefix}/${entry.path}` : entry.path,
            mode: entry.mode,
            type: entry.type,
            sha: entry.sha,
        });
    }
    return leaves;
}
/** Walks one directory level at a time: only needed when a whole-repository listing is truncated. */
async function findSubtree(octokit, repo, treeSha, root) {
    let current = treeSha;
    for (const segment of root.split('/')) {
        const { data } = await octokit.rest.git.getTree({
            owner: repo.owner,
            repo: repo.name,
            tree_sha: current,
        });
        const next = data.tree.find((entry) => entry.path === segment && entry.type === 'tree');
        if (!next?.sha)
            return undefined;
        current = next.sha;
    }
    return current;
}
/** What turns the head's files under the path into the old revision's: deletions first, then restores. */
export function diffLeaves(old, head) {
    const oldByPath = new Map(old.map((leaf) => [leaf.path, leaf]));
    const headByPath = new Map(head.map((leaf) => [leaf.path, leaf]));
    const deletions = head
        .filter((leaf) => !oldByPath.has(leaf.path))
        .map((leaf) => ({ path: leaf.path, mode: leaf.mode, type: leaf.type, sha: null }));
    const restores = old
        .filter((leaf) => {
        const now = headByPath.get(leaf.path);
        return !now || now.sha !== leaf.sha || now.mode !== leaf.mode;
    })
        .map((leaf) => ({ path: leaf.path, mode: leaf.mode, type: leaf.type, sha: leaf.sha }));
    return [...deletions, ...restores];
}
async function resolveBranch(octokit, request) {
    const tracked = request.branch?.replace(/^refs\/heads\//, '');
    if (tracked && tracked !== 'HEAD')
        return tracked;
    const { data } = await octokit.rest.repos.get({ owner: request.repo.owner, repo: request.repo.name });
    return data.default_branch;
}
async function readHead(octokit, repo, branch) {
    try {
        const { data } = await octokit.rest.git.getRef({
            owner: repo.owner,
            repo: repo.name,
            ref: `heads/${branch}`,
        });
        return data.object.sha;
    }
    catch (error) {
        if (statusOf(error) === 404)
            throw new Error(`"${branch}" is not a branch of ${repo.owner}/${repo.name}; Revert in Git needs the app to track a branch`);
        throw error;
    }
}
async function treeOf(octokit, repo, commitSha) {
    const { data } = await octokit.rest.git.getCommit({
        owner: repo.owner,
        repo: repo.name,
        commit_sha: commitSha,
    });
    return data.tree.sha;
}
/** A fresh branch per revert; an existing name (an earlier revert) gets a numeric suffix, never overwritten. */
async function createBranch(octokit, repo, base, sha) {
    for (let attempt = 1; attempt <= MAX_BRANCH_ATTEMPTS; attempt++) {
        const name = attempt === 1 ? base : `${base}-${attempt}`;
        try {
            await octokit.rest.git.createRef({
                owner: repo.owner,
                repo: repo.name,
                ref: `refs/heads/${name}`,
                sha,
            });
            return name;
        }
        catch (error) {
            if (statusOf(error) !== 422)
                throw error;
        }
    }
    throw new Error(`branches ${base} to ${base}-${MAX_BRANCH_ATTEMPTS} all exist; delete old revert branches`);
}
function describe(request, path, branch) {
    const to = request.toRevision.slice(0, 7);
    const from = request.fromRevision.slice(0, 7);
    const where = path || 'the repository';
    return {
        title: `Revert ${request.app} to ${to}`,
        message: [
            `Revert ${request.app} to ${to}`,
            '',
            `Restores ${where} to its content at ${request.toRevision},`,
            `the revision deployed before ${request.fromRevision}.`,
            '',
            `Requested in Slack by ${request.requestedBy} via deploybot.`,
        ].join('\n'),
        body: [
            `Restores \`${where}\` on \`${branch}\` to its content at \`${to}\`, the revision deployed before \`${from}\`.`,
            '',
            `Requested in Slack by \`${request.requestedBy}\` through deploybot's **Revert in Git** (the app is auto-synced, so Argo CD cannot roll it back).`,
            'Merging this pull request deploys the old manifests; files outside the path are untouched.',
        ].join('\n'),
    };
}
/**
 * Revert in Git through the git data API: one new commit on a new branch whose tree is the branch
 * head with the app's path replaced by the old revision's, then a pull request. Nothing is pushed
 * to the tracked branch itself.
 */
export function createRevertPullRequestOpener(octokit) {
    return async (request) => {
        const { repo } = request;
        const path = normalizeAppPath(request.path);
        const branch = await resolveBranch(octokit, request);
        const headSha = await readHead(octokit, repo, branch);
        const [headTree, oldTree] = await Promise.all([
            treeOf(octokit, repo, headSha),
            treeOf(octokit, repo, request.toRevision),
        ]);
        let tree;
        if (path === '') {
            if (headTree === oldTree)
                throw new NothingToRevertError('the repository', branch, request.toRevision);
            tree = oldTree;
        }
        else {
            const [oldLeaves, headLeaves] = await Promise.all([
                listLeaves(octokit, repo, oldTree, path),
                listLeaves(octokit, repo, headTree, path),
            ]);
            const edits = diffLeaves(oldLeaves, headLeaves);
            if (edits.length === 0)
                throw new NothingToRevertError(path, branch, request.toRevision);
            const created = await octokit.rest.git.createTree({
                owner: repo.owner,
                repo: repo.name,
                base_tree: headTree,
                tree: edits,
            });
            tree = created.data.sha;
        }
        const text = describe(request, path, branch);
        const commit = await octokit.rest.git.createCommit({
            owner: repo.owner,
            repo: repo.name,
            message: text.message,
            tree,
            parents: [headSha],
        });
        const safeApp = request.app.replace(/[^A-Za-z0-9._-]+/g, '-');
        const prBranch = await createBranch(octokit, repo, `deploybot/revert-${safeApp}-${request.fromRevision.slice(0, 7)}`, commit.data.sha);
        const { data: pull } = await octokit.rest.pulls.create({
            owner: repo.owner,
            repo: repo.name,
            title: text.title,
            head: prBranch,
            base: branch,
            body: text.body,
        });
        return { url: pull.html_url, number: pull.number, branch: prBranch };
    };
}
