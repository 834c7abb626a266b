import { App, Octokit } from 'octokit';
/** Token or GitHub App auth behind one constructor, so switching is a configuration change. */
export async function createOctokit({ auth, baseUrl, logger, retries = 2, }) {
    const log = logger.child({ client: 'github' });
    const options = {
        baseUrl: baseUrl.replace(/\/+$/, ''),
        retry: { retries, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
        throttle: {
            onRateLimit: (retryAfter, opts, _o, retryCount) => {
                log.warn({ retryAfter, method: opts.method, url: opts.url }, 'GitHub rate limit hit');
                return retryCount < 1;
            },
            onSecondaryRateLimit: (retryAfter, opts) => {
                log.warn({ retryAfter, method: opts.method, url: opts.url }, 'GitHub secondary rate limit hit');
                return false;
            },
        },
        log: {
            debug: () => { },
            info: () => { },
            warn: (m) => log.warn(m),
            error: (m) => log.error(m),
        },
        request: { timeout: 10_000 },
    };
    if (auth.app) {
        const app = new App({
            appId: auth.app.appId,
            privateKey: auth.app.privateKey,
            Octokit: Octokit.defaults(options),
        });
        return (await app.getInstallationOctokit(Number(auth.app.installationId)));
    }
    return new Octokit({ ...options, ...(auth.token ? { auth: auth.token } : {}) });
}
