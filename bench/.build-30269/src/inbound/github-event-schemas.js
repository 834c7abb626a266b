import { z } from 'zod';
// Only the fields deploybot reads; everything else in GitHub's payload passes untouched.
const sha = z.string().regex(/^[0-9a-f]{40}$/);
const repository = z.object({ full_name: z.string().regex(/^[\w.-]+\/[\w.-]+$/) });
const sender = z.object({ login: z.string(), type: z.string() }).partial().optional();
export const githubEventSchemas = {
    workflow_run: z.object({
        action: z.string(),
        workflow_run: z.object({
            head_sha: sha,
            head_branch: z.string().nullish(),
            name: z.string().nullish(),
            status: z.string().nullish(),
            conclusion: z.string().nullish(),
            html_url: z.string().nullish(),
        }),
        repository,
    }),
    check_suite: z.object({
        action: z.string(),
        check_suite: z.object({ head_sha: sha, status: z.string().nullish(), conclusion: z.string().nullish() }),
        repository,
    }),
    check_run: z.object({
        action: z.string(),
        check_run: z.object({
            head_sha: sha,
            name: z.string(),
            status: z.string().nullish(),
            conclusion: z.string().nullish(),
            html_url: z.string().nullish(),
        }),
        repository,
    }),
    status: z.object({
        sha,
        state: z.string(),
        context: z.string(),
        target_url: z.string().nullish(),
        repository,
    }),
    push: z.object({
        ref: z.string(),
        before: z.string(),
        after: z.string(),
        commits: z
            .array(z.object({
            id: z.string(),
            message: z.string(),
            author: z.object({
                name: z.string().nullish(),
                email: z.string().nullish(),
                username: z.string().nullish(),
            }),
        }))
            .default([]),
        repository,
        sender,
    }),
    pull_request: z.object({
        action: z.string(),
        number: z.number().int(),
        pull_request: z.object({
            title: z.string(),
            html_url: z.string(),
            merged: z.boolean().nullish(),
            merged_at: z.string().nullish(),
            merge_commit_sha: z.string().nullish(),
            user: z.object({ login: z.string() }).nullish(),
        }),
        repository,
    }),
    deployment: z.object({ action: z.string(), repository, sender }),
    deployment_status: z.object({ action: z.string(), repository, sender }),
    ping: z.object({ zen: z.string().optional() }),
};
export function isAllowedGitHubEvent(name) {
    return Object.hasOwn(githubEventSchemas, name);
}
