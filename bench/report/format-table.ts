import type { MachineInfo } from './machine.js';
import type { ResultRow } from './result.js';

function formatNumber(value: number | null): string {
  if (value === null) return '—';
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

function formatMet(met: boolean | null): string {
  if (met === null) return '';
  return met ? 'yes' : 'NO';
}

/** A plain-text table for a terminal; notes follow it, numbered, so the columns stay narrow. */
export function formatTable(rows: readonly ResultRow[], machine: MachineInfo): string {
  const header = ['metric', 'unit', 'ours', 'baseline', 'ratio', 'target', 'met?'];
  const notes: string[] = [];
  const body = rows.map((row) => {
    let name = row.name;
    if (row.note) {
      notes.push(row.note);
      name = `${name} [${notes.length}]`;
    }
    return [
      name,
      row.unit,
      formatNumber(row.ours),
      formatNumber(row.baseline),
      row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`,
      row.target ?? '',
      formatMet(row.met),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const numeric = new Set([2, 3, 4]);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `deploybot benchmark — ${machine.cpus} × ${machine.model}, ${machine.memGiB} GiB, node ${machine.node}, ${machine.platform}, ${machine.date}, load ${machine.loadAvg.join(' ')}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ];
  if (notes.length > 0) out.push('', ...notes.map((note, i) => `[${i + 1}] ${note}`));
  return `${out.join('\n')}\n`;
}
