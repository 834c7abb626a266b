/**
 * Checks JSON against a definition of the trimmed Argo CD swagger, the way Go's encoding/json would read it into the
 * generated types: a wrong JSON type is an error (the server answers 400), an unknown field is silently dropped by
 * the server — the fake reports it separately so callers can refuse it.
 */
interface SchemaNode {
  $ref?: string;
  type?: string;
  format?: string;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode;
  enum?: unknown[];
}

export type Definitions = Record<string, SchemaNode>;

export interface SchemaReport {
  /** Fields the server would ignore (`$.syncOptions.itmes`). */
  unknownFields: string[];
  /** Values Go's decoder would refuse, worded like its errors. */
  typeErrors: string[];
}

function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

function expectedType(node: SchemaNode): string {
  // The gateway writes and reads int64 as JSON numbers even where the swagger says `type: string` (reference §1).
  if (node.format === 'int64' || node.format === 'uint64' || node.format === 'int32') return 'number';
  if (node.type === 'integer' || node.type === 'number') return 'number';
  if (node.type === 'string') return 'string';
  if (node.type === 'boolean') return 'boolean';
  if (node.type === 'array') return 'array';
  return 'object';
}

function resolve(node: SchemaNode, definitions: Definitions): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/definitions/', '');
  const found = definitions[name];
  if (!found) throw new Error(`swagger extract lacks definition ${name}`);
  return found;
}

function walk(
  value: unknown,
  raw: SchemaNode,
  where: string,
  definitions: Definitions,
  report: SchemaReport,
): void {
  // Go leaves the zero value for a JSON null, whatever the field's type.
  if (value === null) return;
  const node = resolve(raw, definitions);
  const expected = expectedType(node);
  const actual = jsonTypeOf(value);
  if (expected !== actual) {
    report.typeErrors.push(`json: cannot unmarshal ${actual} into field ${where} of type ${expected}`);
    return;
  }
  if (expected === 'number' && node.type !== 'number' && !Number.isInteger(value)) {
    report.typeErrors.push(
      `json: cannot unmarshal number ${String(value)} into field ${where} of type int64`,
    );
    return;
  }
  if (expected === 'array' && node.items) {
    (value as unknown[]).forEach((item, i) => {
      walk(item, node.items as SchemaNode, `${where}[${i}]`, definitions, report);
    });
    return;
  }
  if (expected !== 'object') return;
  const object = value as Record<string, unknown>;
  if (node.properties) {
    for (const [key, child] of Object.entries(object)) {
      const property = node.properties[key];
      if (property) walk(child, property, `${where}.${key}`, definitions, report);
      else report.unknownFields.push(`${where}.${key}`);
    }
  } else if (node.additionalProperties) {
    for (const [key, child] of Object.entries(object)) {
      walk(child, node.additionalProperties, `${where}.${key}`, definitions, report);
    }
  }
}

export function checkAgainstDefinition(
  value: unknown,
  definition: string,
  definitions: Definitions,
): SchemaReport {
  const report: SchemaReport = { unknownFields: [], typeErrors: [] };
  walk(value, { $ref: `#/definitions/${definition}` }, '$', definitions, report);
  return report;
}
