/**
 * `npm start` end to end, as a process manager runs it, against an existing database given by
 * NEO4J_URI (here the tests' Neo4j): it builds, serves the compiled server, answers, and a
 * SIGTERM sent to the npm process reaches the server, which drains, closes the driver and
 * exits 0 — no server left running behind npm.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { BUILT_BUNDLE } from '../../src/api/explore.js';
import { resetDatabase, testDriver } from '../support/neo4j.js';
import { freePort } from '../support/net.js';
import { loadConfig, projectRoot } from '../../src/config/index.js';

it('serves with NEO4J_URI set, and shuts down cleanly on SIGTERM', async () => {
  const { uri, password } = loadConfig().neo4j;
  // An empty graph, whatever an earlier test file left: the main job imports the seed itself.
  const driver = testDriver();
  try {
    await resetDatabase(driver);
  } finally {
    await driver.close();
  }
  const port = await freePort();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: projectRoot,
    env: {
      // eslint-disable-next-line no-restricted-properties -- the child runs with the test environment plus these
      ...process.env,
      NEO4J_URI: uri,
      NEO4J_PASSWORD: password,
      PORT: String(port),
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const listening = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      // The build's own lines come first; the server logs JSON lines.
      if (!line.startsWith('{')) return;
      const msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
      messages.push(msg);
      if (msg.startsWith('GraphQL API on')) resolve();
    });
    child.on('exit', (code) =>
      reject(new Error(`exited with ${code} before listening: ${stderr}`)),
    );
  });
  try {
    await listening;
    // The compiled server serves the explorer bundle built with it.
    const bundle = await fetch(`http://127.0.0.1:${port}/explore/assets/explore.js`);
    expect(bundle.status).toBe(200);
    expect(await bundle.text()).toBe(readFileSync(BUILT_BUNDLE, 'utf8'));
    expect(messages).toContain(
      `GraphQL API on http://127.0.0.1:${port}/graphql, playground on http://127.0.0.1:${port}/`,
    );
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ home { key } }' }),
    });
    expect(await res.json()).toEqual({ data: { home: { key: 'defence-for-children' } } });
    // A misspelt field or argument gets graphql-js's suggestions in production too (the schema
    // is public: introspection is on).
    const misspelt = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ programme { name } partners(off: "x") { role } }' }),
    });
    expect(misspelt.status).toBe(400);
    const { errors } = (await misspelt.json()) as { errors: { message: string }[] };
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^Cannot query field "programme" on type "Query"\. Did you mean .*"programmes"/,
      ),
      expect.stringMatching(
        /^Unknown argument "off" on field "Query\.partners"\. Did you mean "of"/,
      ),
    ]);
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
  expect(messages).toEqual(
    expect.arrayContaining([
      'the graph is empty: importing the seed data',
      'shutting down: draining requests',
      'stopped',
    ]),
  );
  await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
}, 180_000);
