import fc from 'fast-check';

const visibleAscii = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));

/** What node:http lets a client put in a header value. */
export const headerValue = (maxLength = 80): fc.Arbitrary<string> =>
  fc.string({ unit: visibleAscii, maxLength });

export const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,24}$/);

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=UTF-8',
    'application/json; charset=utf-16',
    'text/plain',
    'multipart/form-data; boundary=xyz',
    '*/*',
    '',
  ),
  headerValue(40),
  fc.constant(undefined),
);

/** Bodies that are awkward for a parser: JSON of every shape, forms, arbitrary text and bytes, classics. */
export const awkwardBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  {
    weight: 2,
    arbitrary: fc
      .dictionary(fc.string({ maxLength: 16 }), fc.string({ maxLength: 40 }), { maxKeys: 6 })
      .map((d) => new URLSearchParams(d).toString()),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      'null',
      '[]',
      '{}',
      '0',
      '-1e309',
      '"x"',
      'true',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      'payload=null',
      'payload=%5B%5D',
      'payload=7',
      'payload=%7B%7D',
      'payload=%7B',
      'payload=a&payload=b',
      'ssl_check=1&payload=%7B%22type%22%3A%22block_actions%22%7D',
      '{"type":"url_verification","challenge":"c"}',
      '\u0000\u0000\u0000',
      '{"a":'.repeat(2000),
    ),
  },
);

/** A value that is sometimes right and often not: strings, numbers, nulls, objects, arrays. */
export const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(''),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Each key of `valid` kept, dropped or replaced by something weird; plus a few stray keys. */
export function mutated(valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(
    Object.entries(valid).map(([key, value]) => [
      key,
      fc.oneof({ weight: 3, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: weird }),
    ]),
  );
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 12 }), weird, { maxKeys: 3 }),
    )
    .map(([kept, extra]) => ({ ...extra, ...kept }));
}

export const asBuffer = (body: string | Uint8Array): Buffer =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
