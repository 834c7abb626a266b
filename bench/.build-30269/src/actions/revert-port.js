/** The path already matches the earlier revision at the branch head: a pull request would be empty. */
export class NothingToRevertError extends Error {
    path;
    branch;
    toRevision;
    code = 'nothing_to_revert';
    constructor(path, branch, toRevision) {
        super(`${path} on ${branch} already matches ${toRevision.slice(0, 7)}; there is nothing to revert`);
        this.path = path;
        this.branch = branch;
        this.toRevision = toRevision;
    }
}
