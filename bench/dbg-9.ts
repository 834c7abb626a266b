import { startBenchWorld } from './harness/bench-world.js';
import { readMessage } from './harness/cards.js';
import { PROD_CHANNEL, preparePendingCards } from './harness/prepare-cards.js';

const bw = await startBenchWorld({ redisUrl: 'redis://127.0.0.1:6379', notifications: false });
const { names, cards } = await preparePendingCards(bw, 'x', 2);
for (const n of names) {
  const m = readMessage(bw.world.slack, PROD_CHANNEL.id, cards.get(n)!.ts);
  console.log(n, m.text.slice(0, 200));
  console.log(
    JSON.stringify(
      m.blocks?.map((b) => [b.type, b.block_id, JSON.stringify(b).slice(0, 150)]),
      null,
      1,
    ),
  );
}
console.log(await bw.bot.logCounts());
await bw.close();
process.exit(0);
