// A small interpreter for the subset of Go text/template (+ sprig) that k8s/argocd-notifications/ uses, so the
// webhook bodies can be rendered and checked without Argo CD. It follows Go's rules where they matter for JSON:
// a missing map key is "no value" (printed as <no value>, passed to functions as nil), a field of a JSON null is
// an error, `if` uses Go truthiness, and sprig's toJson escapes <, > and & as Go's encoding/json does.
// Anything outside the subset throws, so a template edited beyond it fails loudly instead of rendering wrongly.

type Value = unknown;
const NO_VALUE = undefined;

type Operand =
  | { kind: 'field'; base: 'dot' | string; path: string[] }
  | { kind: 'literal'; value: Value }
  | { kind: 'func'; name: string }
  | { kind: 'pipe'; pipeline: Pipeline };
type Command = Operand[];
interface Pipeline {
  declarations: string[];
  commands: Command[];
}
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipeline: Pipeline }
  | { kind: 'if'; pipeline: Pipeline; whenTrue: Node[]; whenFalse: Node[] }
  | { kind: 'range'; pipeline: Pipeline; body: Node[] };

export interface RenderOptions {
  now: Date;
}

const FUNCTIONS: Record<string, (options: RenderOptions, ...args: Value[]) => Value> = {
  toJson: (_o, value) => toGoJson(value),
  default: (_o, fallback, given) => (isEmpty(given) ? fallback : given),
  coalesce: (_o, ...values) => values.find((v) => !isEmpty(v)) ?? null,
  now: (o) => o.now,
  dateInZone: (_o, layout, date, zone) => {
    if (layout !== '2006-01-02T15:04:05Z07:00' || zone !== 'UTC' || !(date instanceof Date)) {
      throw new Error(
        `dateInZone: only the RFC 3339 layout in UTC of a time is supported, got ${String(layout)}`,
      );
    }
    return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  },
};

function isEmpty(value: Value): boolean {
  if (value === NO_VALUE || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Date) return false;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

function toGoJson(value: Value): string {
  const sorted = (v: Value): Value => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sorted((v as Record<string, Value>)[k])]),
      );
    }
    return v;
  };
  return (JSON.stringify(sorted(value ?? null)) ?? 'null')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const TOKEN =
  /\s+|(:=)|([|(),])|("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?)|(\$[\w]*(?:\.[\w]+)*)|(\.(?:[\w]+(?:\.[\w]+)*)?)|([A-Za-z_]\w*)/gy;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match || TOKEN.lastIndex === start)
      throw new Error(`cannot read "${source.slice(start)}" in {{ ${source} }}`);
    if (match[0].trim()) tokens.push(match[0]);
  }
  return tokens;
}

function parsePipeline(tokens: string[], allowDeclarations: boolean): Pipeline {
  const declarations: string[] = [];
  const assign = tokens.indexOf(':=');
  if (assign >= 0) {
    if (!allowDeclarations) throw new Error('variable declarations are supported in range only');
    declarations.push(...tokens.slice(0, assign).filter((t) => t !== ','));
    tokens = tokens.slice(assign + 1);
  }
  const commands: Command[] = [[]];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const current = commands[commands.length - 1] ?? [];
    if (token === '|') {
      commands.push([]);
    } else if (token === '(') {
      let depth = 1;
      let j = i + 1;
      for (; j < tokens.length && depth > 0; j++) depth += tokens[j] === '(' ? 1 : tokens[j] === ')' ? -1 : 0;
      if (depth !== 0) throw new Error('unbalanced parentheses');
      current.push({ kind: 'pipe', pipeline: parsePipeline(tokens.slice(i + 1, j - 1), false) });
      i = j - 1;
    } else {
      current.push(parseOperand(token));
    }
  }
  if (commands.some((c) => c.length === 0)) throw new Error('empty command in pipeline');
  return { declarations, commands };
}

function parseOperand(token: string): Operand {
  if (token.startsWith('"')) return { kind: 'literal', value: JSON.parse(token) };
  if (token.startsWith('`')) return { kind: 'literal', value: token.slice(1, -1) };
  if (/^-?\d/.test(token)) return { kind: 'literal', value: Number(token) };
  if (token === 'true' || token === 'false') return { kind: 'literal', value: token === 'true' };
  if (token === 'nil') return { kind: 'literal', value: null };
  if (token.startsWith('.')) return { kind: 'field', base: 'dot', path: token.split('.').filter(Boolean) };
  if (token.startsWith('$')) {
    const [name = '$', ...path] = token.split('.');
    return { kind: 'field', base: name, path };
  }
  if (token in FUNCTIONS) return { kind: 'func', name: token };
  throw new Error(`unsupported function or token "${token}"`);
}

function parseTemplate(source: string): Node[] {
  const root: Node[] = [];
  const stack: { nodes: Node[]; open?: Extract<Node, { kind: 'if' | 'range' }>; inElse?: boolean }[] = [
    { nodes: root },
  ];
  const action = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  const top = () => stack[stack.length - 1] ?? { nodes: root };
  const push = (node: Node) => {
    const frame = top();
    if (frame.open?.kind === 'if' && frame.inElse) frame.open.whenFalse.push(node);
    else frame.nodes.push(node);
  };
  for (let m = action.exec(source); m; m = action.exec(source)) {
    let text = source.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1]) text = text.replace(/\s+$/, '');
    if (text) push({ kind: 'text', text });
    trimNext = Boolean(m[3]);
    last = m.index + m[0].length;
    const tokens = tokenize((m[2] ?? '').trim());
    const [keyword, ...rest] = tokens;
    if (keyword === 'if' || keyword === 'range') {
      const node: Extract<Node, { kind: 'if' | 'range' }> =
        keyword === 'if'
          ? { kind: 'if', pipeline: parsePipeline(rest, false), whenTrue: [], whenFalse: [] }
          : { kind: 'range', pipeline: parsePipeline(rest, true), body: [] };
      push(node);
      stack.push({ nodes: node.kind === 'if' ? node.whenTrue : node.body, open: node });
    } else if (keyword === 'else') {
      const frame = top();
      if (frame.open?.kind !== 'if' || frame.inElse || rest.length)
        throw new Error('only a plain {{ else }} of an if');
      frame.inElse = true;
    } else if (keyword === 'end') {
      if (stack.length === 1) throw new Error('{{ end }} without if/range');
      stack.pop();
    } else {
      push({ kind: 'action', pipeline: parsePipeline(tokens, false) });
    }
  }
  if (stack.length !== 1) throw new Error('missing {{ end }}');
  let tail = source.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  if (tail) root.push({ kind: 'text', text: tail });
  return root;
}

interface Scope {
  dot: Value;
  vars: Map<string, Value>;
  options: RenderOptions;
}

function lookup(value: Value, path: string[], where: string): Value {
  let current = value;
  for (const key of path) {
    if (current === NO_VALUE) return NO_VALUE;
    if (current === null) throw new Error(`nil pointer evaluating interface {}.${key} (${where})`);
    if (typeof current !== 'object' || Array.isArray(current) || current instanceof Date) {
      throw new Error(`can't evaluate field ${key} in ${typeof current} (${where})`);
    }
    current = Object.hasOwn(current, key) ? (current as Record<string, Value>)[key] : NO_VALUE;
  }
  return current;
}

function evaluateOperand(operand: Operand, scope: Scope): Value {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'pipe':
      return evaluatePipeline(operand.pipeline, scope);
    case 'func':
      return FUNCTIONS[operand.name]?.(scope.options);
    case 'field': {
      const base = operand.base === 'dot' ? scope.dot : scope.vars.get(operand.base);
      if (operand.base !== 'dot' && !scope.vars.has(operand.base))
        throw new Error(`undefined variable ${operand.base}`);
      return lookup(base, operand.path, `${operand.base}.${operand.path.join('.')}`);
    }
  }
}

function evaluatePipeline(pipeline: Pipeline, scope: Scope): Value {
  let piped: Value = NO_VALUE;
  pipeline.commands.forEach((command, index) => {
    const [head, ...args] = command;
    if (head?.kind === 'func') {
      const values = args.map((a) => evaluateOperand(a, scope) ?? null);
      if (index > 0) values.push(piped ?? null);
      piped = FUNCTIONS[head.name]?.(scope.options, ...values);
    } else {
      if (args.length || index > 0 || !head) throw new Error('only functions take arguments or piped values');
      piped = evaluateOperand(head, scope);
    }
  });
  return piped;
}

function printValue(value: Value): string {
  if (value === NO_VALUE || value === null) return '<no value>';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  throw new Error('printing a map, list or time directly is outside the supported subset; pipe it to toJson');
}

function renderNodes(nodes: Node[], scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'action') out += printValue(evaluatePipeline(node.pipeline, scope));
    else if (node.kind === 'if') {
      out += renderNodes(
        isEmpty(evaluatePipeline(node.pipeline, scope)) ? node.whenFalse : node.whenTrue,
        scope,
      );
    } else {
      const items = evaluatePipeline(node.pipeline, scope);
      if (items === NO_VALUE || items === null) continue;
      if (typeof items !== 'object' || items instanceof Date) throw new Error('range over a non-collection');
      const entries: [Value, Value][] = Array.isArray(items)
        ? items.map((v, i) => [i, v])
        : Object.keys(items)
            .sort()
            .map((k) => [k, (items as Record<string, Value>)[k]]);
      const [first, second] = node.pipeline.declarations;
      for (const [key, element] of entries) {
        const vars = new Map(scope.vars);
        if (first && second) {
          vars.set(first, key);
          vars.set(second, element);
        } else if (first) vars.set(first, element);
        out += renderNodes(node.body, { ...scope, dot: element, vars });
      }
    }
  }
  return out;
}

/** Renders a Go text/template (the subset above) with `data` as dot, as argocd-notifications would. */
export function renderGoTemplate(source: string, data: Value, options: RenderOptions): string {
  return renderNodes(parseTemplate(source), { dot: data, vars: new Map([['$', data]]), options });
}
