/** Squash merges end their subject with "(#123)"; merge commits start with "Merge pull request #123". */
function referencedPullNumber(subject) {
    const match = /\(#(\d+)\)\s*$/.exec(subject) ?? /^Merge pull request #(\d+)\b/.exec(subject);
    return match?.[1] ? Number(match[1]) : undefined;
}
export function groupCommitsByPull(commits, pulls) {
    const groups = pulls.map((pull) => ({ pull, commits: [] }));
    const bySha = new Map();
    const byNumber = new Map();
    for (const group of groups) {
        byNumber.set(group.pull.number, group);
        for (const sha of group.pull.commitShas ?? [])
            bySha.set(sha, group);
    }
    const loose = [];
    for (const commit of commits) {
        const subjectRef = referencedPullNumber(commit.subject.split('\n', 1)[0] ?? '');
        const group = bySha.get(commit.sha) ?? (subjectRef !== undefined ? byNumber.get(subjectRef) : undefined);
        if (group)
            group.commits.push(commit);
        else
            loose.push(commit);
    }
    return { groups, loose };
}
