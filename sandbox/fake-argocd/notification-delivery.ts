import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { NotificationBody, NotificationOptions, SentNotification } from './types.js';

export interface DeliveryJob {
  trigger: string;
  body: NotificationBody;
}

interface AttemptResult {
  status: number | null;
  error?: string;
}

/** retryablehttp.DefaultRetryPolicy: network errors, 429 and 5xx except 501 are retried. */
function isRetryable(result: AttemptResult): boolean {
  if (result.status === null) return true;
  return result.status === 429 || (result.status >= 500 && result.status !== 501);
}

/** The webhook service: `url` + template `path`, POST, the configured headers, nothing else set on purpose. */
function post(target: URL, secret: string, payload: string, timeoutMs: number): Promise<AttemptResult> {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${secret}`,
          'User-Agent': 'Go-http-client/1.1',
          'Content-Length': Buffer.byteLength(payload),
        },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? null }));
        res.on('error', (error) => resolve({ status: null, error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ status: null, error: error.message }));
    req.end(payload);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends notifications one after another (the controller handles an app's events in order) and logs each attempt. */
export class NotificationDelivery {
  readonly log: SentNotification[] = [];
  private tail: Promise<void> = Promise.resolve();
  private readonly target: URL;
  private closed = false;

  constructor(
    private readonly options: NotificationOptions,
    private readonly clock: () => Date,
  ) {
    this.target = new URL(`${options.url.replace(/\/+$/, '')}/argocd/events`);
  }

  /** Queues one delivery (with its retries); resolves true when the receiver answered 2xx. */
  enqueue(job: DeliveryJob): Promise<boolean> {
    const run = this.tail.then(() => this.deliver(job));
    this.tail = run.then(() => undefined);
    return run;
  }

  recordLost(job: DeliveryJob): void {
    this.log.push({ ...this.entryBase(job), attempt: 0, status: null, lost: true });
  }

  async whenIdle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
  }

  close(): void {
    this.closed = true;
  }

  private async deliver(job: DeliveryJob): Promise<boolean> {
    const payload = `${JSON.stringify(job.body, null, 2)}\n`;
    const retryMax = this.options.retryMax ?? 3;
    for (let attempt = 1; attempt <= retryMax + 1 && !this.closed; attempt++) {
      const result = await post(this.target, this.options.secret, payload, this.options.timeoutMs ?? 5000);
      this.log.push({ ...this.entryBase(job), attempt, status: result.status, error: result.error });
      if (result.status !== null && result.status >= 200 && result.status < 300) return true;
      if (!isRetryable(result)) return false;
      if (attempt <= retryMax) await sleep(this.options.retryWaitMs ?? 50);
    }
    return false;
  }

  private entryBase(job: DeliveryJob) {
    return {
      at: this.clock().toISOString(),
      event: job.body.event,
      trigger: job.trigger,
      app: job.body.app,
      body: job.body,
    };
  }
}
