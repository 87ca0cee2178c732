/**
 * An answer as a table, for CSV exports (pure; unit-tested). The rows are the answer's main
 * list: the last top-level field that is a list (`home` beside `partners`: the partners), or,
 * when the answer is one object (`countryProfile`), its first list. Each row is flattened:
 * nested fields become dotted columns (`organisation.name`), and lists are joined with "; "
 * (`funding.funder.name`: "A; B").
 */
import { stringify } from 'csv-stringify/sync';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The list an export's rows come from. */
export function rowsOf(data: Record<string, Json>): Json[] {
  const values = Object.values(data);
  const lists = values.filter((v): v is Json[] => Array.isArray(v));
  const last = lists.at(-1);
  if (last) return last;
  for (const v of values) {
    if (isObject(v)) {
      const inner = Object.values(v).find((x): x is Json[] => Array.isArray(x));
      if (inner) return inner;
    }
  }
  return [];
}

/** One row's columns: dotted paths to scalars; lists joined with "; ". */
export function flatten(value: Json, prefix = '', out: Map<string, string> = new Map()) {
  if (Array.isArray(value)) {
    const parts = value.map((item) => flatten(item, prefix));
    const keys = [...new Set(parts.flatMap((p) => [...p.keys()]))];
    for (const key of keys) {
      out.set(
        key,
        parts
          .map((p) => p.get(key) ?? '')
          .filter((s) => s !== '')
          .join('; '),
      );
    }
    if (value.length === 0 && prefix) out.set(prefix, '');
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix || 'value', value === null ? '' : String(value));
  }
  return out;
}

/** The rows of an answer as CSV (RFC 4180, a header line, columns in first-seen order). */
export function toCsv(data: Record<string, Json>): string {
  const rows = rowsOf(data).map((row) => flatten(row));
  const columns = [...new Set(rows.flatMap((r) => [...r.keys()]))];
  return stringify(
    rows.map((r) => columns.map((c) => r.get(c) ?? '')),
    { header: true, columns },
  );
}

export type { Json };
