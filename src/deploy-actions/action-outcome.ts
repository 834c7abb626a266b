/** What an action did, for the Slack listener to tell the person who clicked. */
export type ActionOutcome =
  | { kind: 'done'; message?: string }
  | { kind: 'denied'; rule: string; reason: string }
  | { kind: 'refused'; message: string }
  | { kind: 'try-again'; reason: string };
