import picomatch from 'picomatch';
const matchers = new WeakMap();
function matcherFor(rule) {
    let m = matchers.get(rule);
    if (!m) {
        m = picomatch(rule.match, { nocase: false, dot: true });
        matchers.set(rule, m);
    }
    return m;
}
/** First matching `apps` rule wins, as the policy file documents. */
export function resolveEnvironment(policy, app) {
    const rule = policy.apps.find((r) => matcherFor(r)(app.name) && (!r.project || r.project === app.project));
    if (!rule)
        return undefined;
    const environment = policy.environments[rule.environment];
    if (!environment)
        return undefined;
    return { environment, channel: environment.channel ?? policy.channels.deploys };
}
