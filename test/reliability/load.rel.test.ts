/**
 * Sustained load: 32 clients for 60 s, each asking the
 * saved questions in turn, on the page plus an imported IATI portfolio. Every answer must be
 * 200 and exactly the answer one client gets alone; /health stays under 1 s.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSavedQueries, type SavedQuery } from '../../src/api/saved-queries.js';
import { projectRoot } from '../../src/config/index.js';
import { importIati } from '../../src/ingest/iati/import-iati.js';
import { database } from '../support/neo4j.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ms, postJson, record, whileWatchingHealth } from './support.js';

const CLIENTS = 32;
const SECONDS = 60;
const PORTFOLIO = path.join(projectRoot, 'test/fixtures/iati/portfolio.xml');

const body = (q: SavedQuery) => ({
  query: q.document,
  operationName: q.operationName,
  variables: q.variables,
});

describe('load', () => {
  let server: TestServer;
  const questions = loadSavedQueries();
  const expected = new Map<string, string>();
  beforeAll(async () => {
    server = await startTestServer();
    await importIati(server.driver, database(), [PORTFOLIO]);
    for (const q of questions) {
      const r = await postJson(server.url, body(q));
      expect(r.status, `${q.name}: ${r.text.slice(0, 300)}`).toBe(200);
      expected.set(q.name, JSON.stringify(r.json));
    }
  });
  afterAll(() => server.close());

  it(
    `${CLIENTS} clients mixing the saved questions: no 5xx, no wrong answer`,
    async () => {
      const latencies: number[] = [];
      const wrong: string[] = [];
      const statuses = new Map<number, number>();
      const deadline = performance.now() + SECONDS * 1000;
      const client = async (n: number) => {
        for (let i = n; performance.now() < deadline; i++) {
          const q = questions[i % questions.length]!;
          const t = performance.now();
          const r = await postJson(server.url, body(q));
          latencies.push(performance.now() - t);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status !== 200 || JSON.stringify(r.json) !== expected.get(q.name)) {
            wrong.push(`${q.name}: ${r.status} ${r.text.slice(0, 200)}`);
          }
        }
      };
      const { healthMaxMs, healthFailures } = await whileWatchingHealth(server.url, () =>
        Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n))),
      );
      latencies.sort((a, b) => a - b);
      const at = (p: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
      const total = latencies.length;
      expect(wrong.slice(0, 5)).toEqual([]);
      expect([...statuses.keys()]).toEqual([200]);
      expect(healthFailures).toBe(0);
      expect(healthMaxMs).toBeLessThan(1000);
      expect(total).toBeGreaterThan(CLIENTS);
      record({
        area: 'load',
        case: `${CLIENTS} clients for ${SECONDS} s`,
        tried: `the ${questions.length} saved questions in turn, each client one request at a time, on the page plus the IATI portfolio fixture`,
        figure: `${total} requests, ${(total / SECONDS).toFixed(0)}/s; p50 ${ms(at(0.5))}, p95 ${ms(at(0.95))}, p99 ${ms(at(0.99))}; /health max ${ms(healthMaxMs)}`,
        result: '0 errors, 0 wrong answers (each equal to the single-client answer)',
      });
    },
    (SECONDS + 120) * 1000,
  );
});
