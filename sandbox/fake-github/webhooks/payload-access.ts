export type JsonRecord = Record<string, unknown>;

/** The object under a key of an example payload; examples are untyped JSON, so check before writing into it. */
export function child(parent: JsonRecord, key: string): JsonRecord {
  const value = parent[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`example payload has no object at "${key}"`);
  }
  return value as JsonRecord;
}

export function readString(parent: JsonRecord, key: string): string {
  const value = parent[key];
  if (typeof value !== 'string') throw new Error(`example payload has no string at "${key}"`);
  return value;
}

/** Replaces substrings in every string of a JSON value, in order. */
export function replaceInStrings<T>(value: T, replacements: ReadonlyArray<readonly [string, string]>): T {
  if (typeof value === 'string') {
    let result: string = value;
    for (const [from, to] of replacements) {
      if (from !== '') result = result.split(from).join(to);
    }
    return result as T;
  }
  if (Array.isArray(value)) return value.map((item) => replaceInStrings(item, replacements)) as T;
  if (typeof value === 'object' && value !== null) {
    const copy: JsonRecord = {};
    for (const [key, item] of Object.entries(value)) copy[key] = replaceInStrings(item, replacements);
    return copy as T;
  }
  return value;
}

export function visitObjects(value: unknown, visit: (object: JsonRecord) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visitObjects(item, visit);
  } else if (typeof value === 'object' && value !== null) {
    visit(value as JsonRecord);
    for (const item of Object.values(value)) visitObjects(item, visit);
  }
}
