import type { ChangeHub } from './change-hub.js';
import type { CallRecord, JsonObject } from './types.js';

export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;

  constructor(
    private readonly hub: ChangeHub,
    private readonly now: () => number,
  ) {}

  record(
    method: string,
    args: JsonObject,
    status: number,
    response: JsonObject,
    missingTextFallback: boolean,
  ): void {
    const { token: _token, ...withoutToken } = args;
    const record: CallRecord = {
      seq: ++this.seq,
      method,
      args: structuredClone(withoutToken),
      status,
      response: structuredClone(response),
      at: this.now(),
    };
    if (missingTextFallback) record.missingTextFallback = true;
    this.records.push(record);
    this.hub.emit({ type: 'api_call', method, seq: record.seq });
  }

  all(): CallRecord[] {
    return structuredClone(this.records);
  }

  to(method: string): CallRecord[] {
    return structuredClone(this.records.filter((r) => r.method === method));
  }

  reset(): void {
    this.records = [];
  }
}
