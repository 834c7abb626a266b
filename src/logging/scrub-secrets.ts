/** Shorter values are too likely to be ordinary words or ids: they are left alone. */
export const MIN_SECRET_LENGTH = 6;
/** Characters of a PEM key's base64 body that count as a leak wherever they appear (96 bits). */
export const PEM_WINDOW = 16;

const CENSOR = '[Redacted]';
const ARMOR = /-----(?:BEGIN|END) [A-Z0-9 ]+-----/g;
const BASE64_TOKEN = /^[A-Za-z0-9+/=]+$/;

/**
 * How a secret can appear in a log line: pino writes JSON, so a secret with `"`, `\` or a newline
 * appears escaped (`\"`, `\\`, `\n`), and escaped twice when a JSON text holding it is logged as a
 * string (an error quoting a response body); a URL carries it percent-encoded.
 */
function writtenForms(secret: string): string[] {
  const once = JSON.stringify(secret).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  const forms = new Set([secret, once, twice, encodeURIComponent(secret)]);
  // Longest first, so a form is not cut up by a shorter one it contains.
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * The base64 body of a PEM key (armor and `Proc-Type:`-style headers dropped), also when its
 * newlines were given as the two characters `\n` (a key pasted into an env file) or as spaces.
 */
function pemBody(secret: string): string | undefined {
  const text = secret.replace(/\\r\\n|\\n/g, '\n');
  if (!text.match(ARMOR)) return undefined;
  const body = text
    .replace(ARMOR, '\n')
    .split(/\s+/)
    .filter((token) => BASE64_TOKEN.test(token))
    .join('');
  return body.length >= PEM_WINDOW ? body : undefined;
}

const isBase64Char = (c: string) =>
  (c >= 'A' && c <= 'Z') ||
  (c >= 'a' && c <= 'z') ||
  (c >= '0' && c <= '9') ||
  c === '+' ||
  c === '/' ||
  c === '=';

/**
 * Finds any PEM_WINDOW characters of the key body in a line, however the body is cut into lines
 * there (real newlines, `\n` once or twice escaped, spaces) and wherever the quote starts or stops:
 * a message that holds the key from its middle, or a truncated one, is still caught. Returns the
 * [start, end) ranges of the line to censor.
 */
function pemRanges(line: string, windows: Set<string>): [number, number][] {
  const ranges: [number, number][] = [];
  let chars = '';
  let positions: number[] = [];
  const flush = () => {
    let last: [number, number] | undefined;
    for (let k = 0; k + PEM_WINDOW <= chars.length; k++) {
      if (!windows.has(chars.slice(k, k + PEM_WINDOW))) continue;
      const start = positions[k]!;
      const end = positions[k + PEM_WINDOW - 1]! + 1;
      if (last && start <= last[1]) last[1] = end;
      else {
        last = [start, end];
        ranges.push(last);
      }
    }
    chars = '';
    positions = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (isBase64Char(c)) {
      chars += c;
      positions.push(i);
    } else if (c === '\\') {
      // A line break inside the body, escaped once or more: `\n`, `\\n`, `\r\n`...
      let j = i;
      while (line[j] === '\\') j++;
      if (line[j] === 'n' || line[j] === 'r' || line[j] === 't') i = j;
      else {
        flush();
        i = j - 1;
      }
    } else if (c !== '\n' && c !== '\r' && c !== ' ' && c !== '\t') flush();
  }
  flush();
  return ranges;
}

/** A function that censors every known secret in a line, in each form it can be written in. */
export function createSecretScrubber(secrets: readonly (string | undefined)[]): (line: string) => string {
  const values = [
    ...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)),
  ];
  const forms = [...new Set(values.flatMap(writtenForms))].sort((a, b) => b.length - a.length);
  const windows = new Set<string>();
  for (const value of values) {
    const body = pemBody(value);
    if (body) for (let k = 0; k + PEM_WINDOW <= body.length; k++) windows.add(body.slice(k, k + PEM_WINDOW));
  }
  return (line) => {
    let out = line;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(CENSOR);
    if (windows.size === 0) return out;
    const ranges = pemRanges(out, windows);
    for (let r = ranges.length - 1; r >= 0; r--) {
      const [start, end] = ranges[r]!;
      out = out.slice(0, start) + CENSOR + out.slice(end);
    }
    return out;
  };
}
