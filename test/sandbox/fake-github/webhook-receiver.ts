import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhooks } from '@octokit/webhooks';

interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  rawBody: string;
  verified: boolean;
}

/** A bot-side endpoint: verifies each delivery with @octokit/webhooks and answers 202 or 401. */
export async function startWebhookReceiver(secret: string) {
  const webhooks = new Webhooks({ secret });
  const received: ReceivedDelivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const signature = String(request.headers['x-hub-signature-256'] ?? '');
      webhooks.verify(rawBody, signature).then(
        (verified) => {
          received.push({ headers: request.headers, rawBody, verified });
          response.writeHead(verified ? 202 : 401).end(verified ? 'accepted' : 'bad signature');
        },
        () => response.writeHead(400).end('unverifiable'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/github/events`,
    received,
    webhooks,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
