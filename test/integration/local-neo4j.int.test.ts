/**
 * The project's own Neo4j, as `npm run db:start|db:stop|db:status` drive it: a second instance
 * in a temporary folder, on its own port, beside the tests' one.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalNeo4jConfig } from '../../src/config/index.js';
import { startLocalNeo4j, statusOf, stopLocalNeo4j } from '../../src/store/local/local-neo4j.js';
import { instancePaths } from '../../src/store/local/paths.js';

const creds = { username: 'neo4j', password: 'lifecycle-test-password' };
const dir = mkdtempSync(path.join(tmpdir(), 'funding-graph-neo4j-'));
const cfg: LocalNeo4jConfig = {
  dir,
  port: 7697,
  heap: '512m',
  pageCache: '64m',
  startTimeoutMs: 240_000,
};

async function run<T>(cypher: string): Promise<T[]> {
  const driver = neo4j.driver(
    `bolt://127.0.0.1:${cfg.port}`,
    neo4j.auth.basic(creds.username, creds.password),
  );
  try {
    const { records } = await driver.executeQuery(cypher);
    return records.map((r) => r.get(0) as T);
  } finally {
    await driver.close();
  }
}

describe('the local Neo4j', () => {
  afterAll(async () => {
    await stopLocalNeo4j(cfg);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts on 127.0.0.1 with APOC, is a no-op when running, stops cleanly on SIGTERM, and keeps its data', async () => {
    const first = await startLocalNeo4j(cfg, creds);
    expect(first.alreadyRunning).toBe(false);
    expect(first.status).toMatchObject({
      running: true,
      edition: 'community',
      uri: 'bolt://127.0.0.1:7697',
    });
    expect(first.status.apocVersion).toBe(first.status.neo4jVersion);
    // Bolt listens on the loopback address only, as the server itself reports.
    const [listen] = await run<string>(
      "CALL dbms.listConfig('server.bolt.listen_address') YIELD value RETURN value",
    );
    expect(listen).toBe('127.0.0.1:7697');
    await run("CREATE (:Marker {name: 'survives restarts'})");

    const again = await startLocalNeo4j(cfg, creds);
    expect(again.alreadyRunning).toBe(true);
    expect(again.status.pid).toBe(first.status.pid);

    expect(await stopLocalNeo4j(cfg)).toBe(true);
    expect((await statusOf(cfg, creds)).running).toBe(false);
    const out = readFileSync(instancePaths(dir).out, 'utf8');
    expect(out).toContain('local-neo4j: stopped cleanly');

    const warm = await startLocalNeo4j(cfg, creds);
    expect(warm.alreadyRunning).toBe(false);
    expect(await run('MATCH (m:Marker) RETURN m.name')).toEqual(['survives restarts']);
    // A clean shutdown leaves nothing to recover.
    const debugLog = readFileSync(path.join(dir, 'home/logs/debug.log'), 'utf8');
    expect(debugLog).not.toMatch(/Recovery (started|completed)/);
    process.stdout.write(
      `[local neo4j] first start ${(first.startMs / 1000).toFixed(1)} s, warm start ${(warm.startMs / 1000).toFixed(1)} s, RSS ${warm.status.rssMb} MB (heap ${cfg.heap}, page cache ${cfg.pageCache})\n`,
    );
  }, 300_000);

  it('ignores a stale pid file that names another process, and never signals it', async () => {
    await stopLocalNeo4j(cfg);
    // This test process stands in for whatever got the pid of a JVM that died in a crash.
    writeFileSync(instancePaths(dir).pid, String(process.pid));
    expect((await statusOf(cfg, creds)).running).toBe(false);
    expect(await stopLocalNeo4j(cfg)).toBe(false);
    expect(existsSync(instancePaths(dir).pid)).toBe(false);
  });

  it('says "not running" after db:stop, and stopping twice is harmless', async () => {
    await stopLocalNeo4j(cfg);
    expect(await stopLocalNeo4j(cfg)).toBe(false);
    expect((await statusOf(cfg, creds)).running).toBe(false);
  });
});
