import { describe, expect, it } from 'vitest';
import { renderGoTemplate } from './go-template.js';

const now = new Date('2026-01-02T03:04:05.678Z');
const render = (template: string, data: unknown) => renderGoTemplate(template, data, { now });

describe('renderGoTemplate (the Go text/template + sprig subset of the notification templates)', () => {
  it('prints fields, and <no value> for a missing key at any depth', () => {
    expect(render('{{ .a.b }}/{{ .a.c }}/{{ .x.y.z }}', { a: { b: 'B' } })).toBe('B/<no value>/<no value>');
  });

  it('fails on a field of a JSON null or of a scalar, as Go does', () => {
    expect(() => render('{{ .a.b }}', { a: null })).toThrow(/nil pointer evaluating/);
    expect(() => render('{{ .a.b }}', { a: 'text' })).toThrow(/can't evaluate field b/);
  });

  it('pipes into default, toJson and coalesce with sprig semantics', () => {
    expect(render('{{ .m | default "x" | toJson }}', {})).toBe('"x"');
    expect(render('{{ .m | default "x" }}', { m: '' })).toBe('x');
    expect(render('{{ .m | default "x" }}', { m: 'set' })).toBe('set');
    expect(render('{{ .m | toJson }}', {})).toBe('null');
    expect(render('{{ coalesce .a .b .c "" | toJson }}', { b: '', c: 'third' })).toBe('"third"');
    // sprig's coalesce gives nil when every argument is empty, even a trailing "".
    expect(render('{{ coalesce .a "" | toJson }}', {})).toBe('null');
  });

  it('escapes JSON like Go encoding/json, so quotes, newlines and HTML survive', () => {
    const text = 'say "hi"\n<b> & done';
    const out = render('{{ .t | toJson }}', { t: text });
    expect(out).toBe('"say \\"hi\\"\\n\\u003cb\\u003e \\u0026 done"');
    expect(JSON.parse(out)).toBe(text);
    expect(render('{{ .o | toJson }}', { o: { b: 1, a: [true, null] } })).toBe('{"a":[true,null],"b":1}');
  });

  it('formats now in UTC with the RFC 3339 layout only', () => {
    expect(render('{{ dateInZone "2006-01-02T15:04:05Z07:00" (now) "UTC" | toJson }}', {})).toBe(
      '"2026-01-02T03:04:05Z"',
    );
    expect(() => render('{{ dateInZone "2006-01-02" (now) "UTC" }}', {})).toThrow(/dateInZone/);
  });

  it('branches with Go truthiness', () => {
    const t = '{{ if .v }}yes{{ else }}no{{ end }}';
    expect(
      [{ v: {} }, { v: { a: 1 } }, { v: [] }, { v: 0 }, { v: 'x' }, {}].map((d) => render(t, d)),
    ).toEqual(['no', 'yes', 'no', 'no', 'yes', 'no']);
  });

  it('ranges with index and element variables, over nothing when the list is missing', () => {
    const t = '[{{ range $i, $h := .list }}{{ if $i }},{{ end }}{{ $h.id | toJson }}{{ end }}]';
    expect(render(t, { list: [{ id: 0 }, { id: 1 }, { id: 2 }] })).toBe('[0,1,2]');
    expect(render(t, {})).toBe('[]');
    expect(render('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', { m: { b: 2, a: 1 } })).toBe(
      'a=1;b=2;',
    );
  });

  it('trims whitespace next to {{- and -}}', () => {
    expect(render('a  {{- .x -}}  b', { x: 'X' })).toBe('aXb');
  });

  it('refuses what it does not implement instead of rendering it wrongly', () => {
    expect(() => render('{{ upper .x }}', {})).toThrow(/unsupported function/);
    expect(() => render('{{ if .a }}1{{ else if .b }}2{{ end }}', {})).toThrow(/plain \{\{ else \}\}/);
    expect(() => render('{{ if .a }}1', {})).toThrow(/missing \{\{ end \}\}/);
    expect(() => render('{{ .o }}', { o: { a: 1 } })).toThrow(/toJson/);
    expect(() => render('{{ $nope.x }}', {})).toThrow(/undefined variable/);
  });
});
