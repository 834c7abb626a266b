import { createServer, request } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startWorld } from '../sandbox/world/start-world.js';
import { addOutOfSyncApps, appNames } from './harness/apps.js';
import { findCards } from './harness/cards.js';
import { notificationBody, postNotification } from './harness/notify.js';
import { PROD_CHANNEL } from './harness/prepare-cards.js';
import { meterCpu, meterOwnCpu, startSut } from './harness/sut-process.js';
import { pollUntil, sleep } from './harness/wait.js';

const events: { t: number; name: string; app: string; path: string; dur: number }[] = [];
function tracer(name: string, upstream: string): Promise<string> {
  const u = new URL(upstream);
  const server = createServer((req, res) => {
    const t = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const out = request(
        { host: u.hostname, port: u.port, method: req.method, path: req.url, headers: req.headers },
        (a) => {
          res.writeHead(a.statusCode!, a.headers);
          a.pipe(res);
          a.on('end', () => {
            const app = /(n2c-\d{4}-prod)/.exec(req.url + body.toString())?.[1] ?? '';
            events.push({
              t,
              name,
              app,
              path: `${req.method} ${
                req.url
                  ?.replace(/[0-9a-f]{40}/g, 'SHA')
                  .replace(/n2c-\d{4}-prod/, 'APP')
                  .split('?')[0]
              }`,
              dur: performance.now() - t,
            });
          });
        },
      );
      out.end(body);
    });
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as any).port}`)),
  );
}
const world = await startWorld({ timing: { syncMs: 200, healthMs: 200 } });
world.argocd.pauseNotifications();
const argo = await tracer('argo', world.argocd.url);
const gh = await tracer('gh', world.github.url);
const sl = await tracer('slack', world.slack.url);
const env = {
  ...world.env,
  ARGOCD_URL: argo,
  GITHUB_API_URL: gh,
  SLACK_API_URL: `${sl}/api/`,
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: `dbg:${Date.now()}:`,
  LOG_LEVEL: 'warn',
};
const bot = await startSut({ mode: 'deploybot', env, policyYaml: world.policyYaml, port: world.botPort });
const base = world.headOf('main');
const target = await world.pushCommit({ author: 'dave', message: 'x' });
await sleep(2000);
const N = Number(process.argv[2] ?? 100);
const rate = Number(process.argv[3] ?? 50);
const names = appNames('n2c', N);
addOutOfSyncApps(world, names, base, target);
events.length = 0;
const sent = new Map<string, number>();
const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
const botCpu = await meterCpu(bot);
const own = meterOwnCpu();
const start = performance.now();
for (let i = 0; i < N; i++) {
  const w = start + (i * 1000) / rate - performance.now();
  if (w > 0) await sleep(w);
  sent.set(names[i]!, performance.now());
  void postNotification(
    `${bot.url}/argocd/events`,
    env.ARGOCD_WEBHOOK_SECRET!,
    notificationBody({ app: names[i]!, revision: target }),
  );
}
await pollUntil(() => findCards(world.slack, PROD_CHANNEL.id, new Set(names)).size === N, {
  timeoutMs: 30000,
});
console.log(
  'bot cpu',
  (await botCpu()).toFixed(2),
  'parent cpu',
  own().toFixed(2),
  'parent loop delay p50/p99/max ms',
  (h.percentile(50) / 1e6).toFixed(1),
  (h.percentile(99) / 1e6).toFixed(1),
  (h.max / 1e6).toFixed(1),
  'elapsed',
  (performance.now() - start).toFixed(0),
);
await sleep(500);
// per-app first time of each step
const steps = new Map<string, number[]>();
for (const app of names) {
  const s0 = sent.get(app)!;
  const mine = events.filter((e) => e.app === app);
  const firstArgo = mine.find((e) => e.name === 'argo');
  const firstGh = mine.find((e) => e.name === 'gh');
  const post = mine.find((e) => e.path.includes('chat.postMessage'));
  const rec = (k: string, v?: number) => {
    if (v !== undefined) {
      if (!steps.has(k)) steps.set(k, []);
      steps.get(k)!.push(v);
    }
  };
  rec('1 first argo GET', firstArgo && firstArgo.t - s0);
  rec('2 first github', firstGh && firstGh.t - s0);
  rec('3 postMessage', post && post.t - s0);
}
const p = (a: number[], q: number) =>
  a.sort((x, y) => x - y)[Math.ceil((q / 100) * a.length) - 1]!.toFixed(0);
for (const [k, v] of [...steps].sort()) console.log(k, 'p50', p(v, 50), 'p99', p(v, 99), 'n', v.length);
const byPath = new Map<string, number[]>();
for (const e of events) {
  if (!byPath.has(e.path)) byPath.set(e.path, []);
  byPath.get(e.path)!.push(e.dur);
}
for (const [k, v] of byPath)
  console.log(
    k.slice(0, 80).padEnd(80),
    'n',
    String(v.length).padStart(4),
    'dur p50',
    p(v, 50),
    'p99',
    p(v, 99),
  );
const ghs = events.filter((e) => e.name === 'gh').sort((a, b) => a.t - b.t);
let maxConc = 0;
for (const e of ghs) {
  const c = ghs.filter((o) => o.t <= e.t && o.t + o.dur > e.t).length;
  maxConc = Math.max(maxConc, c);
}
console.log('max github concurrency', maxConc);
await bot.stop();
await world.close();
process.exit(0);
