/**
 * Layering rules, checked by `npm run check` (dependency-cruiser). Every import points down:
 *   main.ts → app/ (composition root) → features → clients/ store/ → domain/ render/ (pure)
 * Imports that broke these rules before the rules existed are listed in
 * .dependency-cruiser-known-violations.json and tolerated until they are moved; a new one fails CI.
 */
const PURE = '^src/(domain|render)/';
const IO_MODULES =
  '^src/(clients|store|slack|http|inbound|app|cards|deploy-actions|status|releases|delivery|github-deployments|github-checks|runtime|freezes)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-app-from-below',
      comment: 'Only src/main.ts may import the composition root; features receive narrow ports instead.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/main\\.ts$', '^src/app/'] },
      to: { path: '^src/app/' },
    },
    {
      name: 'pure-imports-no-io',
      comment: 'domain/ and render/ are pure: no client, store, Slack, HTTP or feature module.',
      severity: 'error',
      from: { path: PURE },
      to: { path: IO_MODULES },
    },
    {
      name: 'pure-imports-no-io-packages',
      comment: 'domain/ and render/ are pure: no Slack, HTTP, Redis or GitHub package, no node:http/net.',
      severity: 'error',
      from: { path: PURE },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'core'],
        path: '(^|/)node_modules/(@slack/|axios|ioredis|octokit|@octokit/|pino|prom-client)|^(node:)?(http|https|net|tls|dgram|child_process|fs)$',
      },
    },
    {
      name: 'domain-not-render',
      comment: 'The domain decides; rendering is one layer up and the domain must not depend on it.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/render/' },
    },
    {
      name: 'no-cycles',
      comment: 'A cycle hides which module owns what.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-src-to-test-or-sandbox',
      comment: 'Production code never imports tests, the sandbox or the benchmark.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|sandbox|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    exclude: { path: '^dist/' },
  },
};
