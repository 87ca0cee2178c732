/**
 * `npm run bench [-- http://127.0.0.1:4000] [--runs 50]`: latency of every saved question
 * against a running API (e.g. `npm start`), beside the cost of a bare HTTP round trip
 * (/health), in one run. Prints figures, never asserts them: speed is measured here, not in
 * timed tests. Requests go to the given URL only, sequentially, a bounded number of times.
 */
import { loadSavedQueries } from '../src/api/saved-queries.js';

const args = process.argv.slice(2);
const base = args.find((a) => a.startsWith('http')) ?? 'http://127.0.0.1:4000';
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 50;
const WARMUP = 5;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function measure(send: () => Promise<Response>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    const started = performance.now();
    const res = await send();
    const body = await res.text();
    if (!res.ok || body.includes('"errors"'))
      throw new Error(`${res.status}: ${body.slice(0, 300)}`);
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function main() {
  const health = await measure(() => fetch(`${base}/health`));
  const baseline = percentile(health, 50);
  const rows: string[][] = [['operation', 'p50 ms', 'p95 ms', 'max ms', 'p50 / health']];
  rows.push([
    'GET /health',
    baseline.toFixed(2),
    percentile(health, 95).toFixed(2),
    (health.at(-1) ?? NaN).toFixed(2),
    '1.0',
  ]);
  for (const q of loadSavedQueries()) {
    const times = await measure(() =>
      fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: q.document,
          variables: q.variables,
          operationName: q.operationName,
        }),
      }),
    );
    const p50 = percentile(times, 50);
    rows.push([
      q.operationName,
      p50.toFixed(2),
      percentile(times, 95).toFixed(2),
      (times.at(-1) ?? NaN).toFixed(2),
      (p50 / baseline).toFixed(1),
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  process.stdout.write(
    `${base}, ${runs} runs each after ${WARMUP} warm-up runs, one request at a time\n`,
  );
  for (const row of rows)
    process.stdout.write(
      `${row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}\n`,
    );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? error.message : String(error)}\n(is the API running? npm start)\n`,
  );
  process.exit(1);
});
