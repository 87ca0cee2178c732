/**
 * The importers killed with SIGKILL at random moments. The page importer writes in one
 * transaction: after a kill the graph is exactly as before or exactly the clean import, never
 * in between. The IATI importer writes a large file in batches: after a kill the graph holds
 * the file's Source marked INCOMPLETE (or nothing of it, or all of it, COMPLETE), and running
 * the import again converges to exactly the clean result.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { random } from '../../src/ingest/synthetic/generate.js';
import { database, graphFingerprint, resetDatabase, testDriver } from '../support/neo4j.js';
import { realSeed } from '../support/seed-files.js';
import { ms, record } from './support.js';

/**
 * One process: node with tsx as its loader. (The `tsx` command runs the script in a child
 * process, which a SIGKILL of the command would leave running.)
 */
const NODE_ARGS = ['--import', 'tsx'];

/**
 * Runs a CLI; with `kill`, kills it with SIGKILL `afterMs` after `when()` first holds (polled
 * every 50 ms; at once without `when`). Resolves with how it ended.
 */
function run(
  args: string[],
  kill?: { afterMs: number; when?: () => Promise<boolean> },
): Promise<{ code: number | null; signal: string | null; output: string; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: projectRoot });
  let output = '';
  let exited = false;
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  if (kill) {
    void (async () => {
      while (kill.when && !exited && !(await kill.when())) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, kill.afterMs));
      if (!exited) child.kill('SIGKILL');
    })();
  }
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      exited = true;
      resolve({ code, signal, output, ms: performance.now() - started });
    }),
  );
}

/** A deterministic sequence of delays in [min, max) ms. */
function delays(seed: number, count: number, min: number, max: number): number[] {
  const next = random(seed);
  return Array.from({ length: count }, () => min + Math.floor(next() * (max - min)));
}

const sourceStatus = async (driver: Driver) => {
  const { records } = await driver.executeQuery(
    'MATCH (s:Source) RETURN s.key AS key, s.importStatus AS status ORDER BY key',
    {},
    { database: database() },
  );
  return records.map((r) => `${String(r.get('key'))}:${String(r.get('status'))}`);
};

describe('importers killed at random moments', () => {
  let driver: Driver;
  beforeAll(() => {
    driver = testDriver();
  });
  afterAll(() => driver.close());

  it('the page importer leaves the graph as before or as the clean import, never between', async () => {
    await resetDatabase(driver);
    const empty = await graphFingerprint(driver);
    const clean = await run(['src/ingest/cli.ts', realSeed]);
    expect(clean.code, clean.output).toBe(0);
    const imported = await graphFingerprint(driver);
    const outcomes = { before: 0, imported: 0 };
    // The CLI needs ~2-4 s to load and connect, then writes in one transaction.
    for (const delay of delays(7, 6, clean.ms * 0.5, clean.ms * 1.1)) {
      await resetDatabase(driver);
      const killed = await run(['src/ingest/cli.ts', realSeed], { afterMs: delay });
      const after = await graphFingerprint(driver);
      expect(
        [empty, imported],
        `killed after ${delay} ms (${killed.signal ?? killed.code})`,
      ).toContain(after);
      outcomes[after === empty ? 'before' : 'imported'] += 1;
    }
    record({
      area: 'importers',
      case: 'page importer killed (SIGKILL)',
      tried: `6 kills at deterministic random moments between ${ms(clean.ms * 0.5)} and ${ms(clean.ms * 1.1)} after start (a clean run takes ${ms(clean.ms)})`,
      figure: `${outcomes.before} left the graph as before, ${outcomes.imported} as the clean import`,
      result: 'never partial (graph fingerprint equal to one of the two)',
    });
  });

  it('the batched IATI importer shows an interrupted import as INCOMPLETE, and a re-run converges to the clean result', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'iati-kill-'));
    const file = path.join(dir, 'portfolio-large.xml');
    const generated = await run(['scripts/generate-iati.ts', '3', file]);
    expect(generated.code, generated.output).toBe(0);

    await resetDatabase(driver);
    const clean = await run(['src/ingest/iati/cli.ts', 'import', file]);
    expect(clean.code, clean.output).toBe(0);
    const cleanPrint = await graphFingerprint(driver);
    expect(await sourceStatus(driver)).toEqual([expect.stringMatching(/:COMPLETE$/)]);

    const seen: string[] = [];
    // Killed while it writes: a random moment after its first batch began.
    const writing = async () => (await sourceStatus(driver)).length > 0;
    for (const delay of delays(11, 3, 0, 2500)) {
      await resetDatabase(driver);
      const killed = await run(['src/ingest/iati/cli.ts', 'import', file], {
        afterMs: delay,
        when: writing,
      });
      expect(killed.signal, killed.output).toBe('SIGKILL');
      const status = await sourceStatus(driver);
      // Nothing of the file yet, or its Source marked INCOMPLETE, or (killed at the very end) COMPLETE.
      expect(status.length).toBeLessThanOrEqual(1);
      seen.push(status[0]?.replace(/^.*:/, '') ?? 'nothing');
      if (status[0]?.endsWith(':INCOMPLETE')) {
        const api = await driver.executeQuery(
          "MATCH (s:Source {importStatus: 'INCOMPLETE'}) RETURN count(s) AS n",
          {},
          { database: database() },
        );
        expect(api.records[0]?.get('n')).toBe(1);
      }
      const rerun = await run(['src/ingest/iati/cli.ts', 'import', file]);
      expect(rerun.code, rerun.output).toBe(0);
      if (status[0]?.endsWith(':INCOMPLETE')) {
        expect(rerun.output).toMatch(/did not finish; importing the same file again completes it/);
      }
      expect(await graphFingerprint(driver)).toBe(cleanPrint);
    }
    expect(seen).toContain('INCOMPLETE');
    record({
      area: 'importers',
      case: 'IATI importer killed mid-file (SIGKILL)',
      tried: `a generated 3 MB file (batches of 500 activities; a clean run takes ${ms(clean.ms)}), killed 3 times 0–2.5 s after its Source first appears in the graph, then run again`,
      figure: `state after each kill: ${seen.join(', ')}`,
      result:
        'interrupted imports visible as INCOMPLETE; every re-run equal to the clean import (fingerprint)',
    });
  }, 600_000);
});
