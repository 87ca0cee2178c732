/**
 * Pure helpers of the benchmark: percentiles, the printed table, and the section of
 * BENCHMARKS.md a run replaces. No clock, no I/O — unit-tested.
 */

/** The p-th percentile (nearest rank) of sorted numbers; NaN for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? NaN;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

export function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    n: sorted.length,
  };
}

/** A Markdown table (also readable as plain text): numbers right-aligned. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(3, ...all.map((r) => (r[i] ?? '').length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-\d.,×x%/ ]+$|^—$/.test(r[i] ?? '')),
  );
  const line = (r: readonly string[]) =>
    `| ${r.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/**
 * `text` with the section between `<!-- bench:<id> -->` and `<!-- /bench:<id> -->` replaced by
 * `section` (markers kept); appended at the end when the markers are not there yet.
 */
export function replaceSection(text: string, id: string, section: string): string {
  const open = `<!-- bench:${id} -->`;
  const close = `<!-- /bench:${id} -->`;
  const block = `${open}\n${section.trim()}\n${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start >= 0 && end > start)
    return text.slice(0, start) + block + text.slice(end + close.length);
  return `${text.trimEnd()}\n\n${block}\n`;
}

/** Fixed-point figure with thousands separators: 12,345.6. */
export const fmt = (n: number, digits = 1) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '—';
