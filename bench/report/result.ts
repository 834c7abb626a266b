/** One line of the report; the JSON in bench/results/latest.json is an array of these. */
export interface ResultRow {
  name: string;
  unit: string;
  ours: number | null;
  baseline: number | null;
  /** ours / baseline, when both were measured. */
  ratio: number | null;
  /** What "good" means for this line, in words; null for context lines that carry no target. */
  target: string | null;
  met: boolean | null;
  /** Why a value is missing, what the baseline is, or what limited the number. */
  note?: string;
}

/** A target: its wording for the report and the check, given ours and the same-run baseline. */
export interface Target {
  text: string;
  check(ours: number, baseline: number | null): boolean;
}

export const atMost = (limit: number, unit: string): Target => ({
  text: `≤ ${limit} ${unit}`,
  check: (ours) => ours <= limit,
});

export const exactly = (value: number, unit: string): Target => ({
  text: `= ${value} ${unit}`,
  check: (ours) => ours === value,
});

export const atMostTimesBaselineAnd = (factor: number, limit: number, unit: string): Target => ({
  text: `≤ ${factor}× baseline and ≤ ${limit} ${unit}`,
  check: (ours, baseline) => baseline !== null && ours <= factor * baseline && ours <= limit,
});

export const atMostTimesBaseline = (factor: number): Target => ({
  text: `≤ ${factor}× baseline`,
  check: (ours, baseline) => baseline !== null && ours <= factor * baseline,
});

export const atLeastShareOfBaseline = (share: number): Target => ({
  text: `≥ ${Math.round(share * 100)} % of baseline`,
  check: (ours, baseline) => baseline !== null && ours >= share * baseline,
});

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

function clean(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : round(value, 2);
}

export interface RowInput {
  name: string;
  unit: string;
  ours: number | null | undefined;
  baseline?: number | null;
  target?: Target;
  note?: string;
}

/** Builds a row: rounds, computes the ratio, and judges the target only when ours was measured. */
export function makeRow({ name, unit, ours, baseline, target, note }: RowInput): ResultRow {
  const o = clean(ours);
  const b = clean(baseline);
  const ratio = o !== null && b !== null && b !== 0 ? round(o / b, 2) : null;
  const row: ResultRow = {
    name,
    unit,
    ours: o,
    baseline: b,
    ratio,
    target: target?.text ?? null,
    met: target && o !== null ? target.check(o, b) : target ? false : null,
  };
  if (note) row.note = note;
  return row;
}
