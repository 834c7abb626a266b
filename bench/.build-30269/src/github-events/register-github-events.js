import { ChecksRefresher } from './checks-refresher.js';
import { notePush } from './push-notes.js';
/** The commit whose CI state an event reports, when it reports a finished or changed one. */
export function ciCommitOf(name, payload) {
    switch (name) {
        case 'workflow_run': {
            const p = payload;
            return p.action === 'completed' ? p.workflow_run.head_sha : undefined;
        }
        case 'check_suite': {
            const p = payload;
            return p.action === 'completed' ? p.check_suite.head_sha : undefined;
        }
        case 'check_run': {
            const p = payload;
            return p.action === 'completed' ? p.check_run.head_sha : undefined;
        }
        case 'status':
            return payload.sha;
        default:
            return undefined;
    }
}
export function registerGitHubEvents(ctx, cards) {
    const checks = new ChecksRefresher(ctx, cards);
    const pushes = new Set();
    ctx.dispatcher.on('github.event', async ({ name, payload }, log) => {
        const sha = ciCommitOf(name, payload);
        if (sha) {
            const repo = payload.repository.full_name;
            await checks.request(repo, sha, log);
            return;
        }
        if (name === 'push') {
            const work = notePush(ctx, cards, payload, log);
            pushes.add(work);
            await work.finally(() => pushes.delete(work));
            return;
        }
        if (name === 'deployment' || name === 'deployment_status') {
            // Our own Deployments API writes echo back here; nothing to do for them or for anyone else's.
            const sender = payload.sender;
            log.debug({ sender: sender?.login, bot: sender?.type === 'Bot' }, 'deployment event ignored');
        }
    });
    const idle = async () => {
        await Promise.allSettled([...pushes]);
        await checks.idle();
    };
    ctx.onShutdown(idle);
    return { checks, idle };
}
