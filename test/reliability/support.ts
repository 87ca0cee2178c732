/**
 * What every reliability case needs: the server's responsiveness while it is attacked
 * (/health polled throughout), and a record of the case for RELIABILITY.md
 * (test-results/reliability.jsonl, rendered by scripts/reliability-report.ts).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config/index.js';

export const RESULTS = path.join(projectRoot, 'test-results', 'reliability.jsonl');

export interface Row {
  area: string;
  case: string;
  tried: string;
  figure: string;
  result: string;
}

/** Adds a case's row to the report (the suite's figures, as measured in this run). */
export function record(row: Row): void {
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  appendFileSync(RESULTS, `${JSON.stringify(row)}\n`);
}

/**
 * Runs `attack` while polling GET /health every 50 ms; returns its result, how long it took,
 * and the slowest /health answer seen meanwhile (and at least one, after it ends).
 */
export async function whileWatchingHealth<T>(
  baseUrl: string,
  attack: () => Promise<T>,
): Promise<{ result: T; ms: number; healthMaxMs: number; healthFailures: number }> {
  let done = false;
  let healthMaxMs = 0;
  let healthFailures = 0;
  const probe = async () => {
    const started = performance.now();
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.status !== 200) healthFailures += 1;
      await res.arrayBuffer();
    } catch {
      healthFailures += 1;
    }
    healthMaxMs = Math.max(healthMaxMs, performance.now() - started);
  };
  const poller = (async () => {
    do {
      await probe();
      await new Promise((r) => setTimeout(r, 50));
    } while (!done);
  })();
  const started = performance.now();
  try {
    const result = await attack();
    return { result, ms: performance.now() - started, healthMaxMs, healthFailures };
  } finally {
    done = true;
    await poller;
  }
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** Any HTTP request to the server, its body read as JSON when it is JSON. */
export async function send(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let json: RawResponse['json'] = {};
  try {
    json = JSON.parse(text) as RawResponse['json'];
  } catch {
    // not JSON: the case's assertion on contentType says so
  }
  return { status: res.status, contentType, text, json };
}

export const postJson = (baseUrl: string, body: unknown, headers: Record<string, string> = {}) =>
  send(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

export const ms = (n: number) => `${Math.round(n)} ms`;
