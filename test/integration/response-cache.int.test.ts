/**
 * Read answers cached by graph version, over real HTTP against the tests' Neo4j: a repeated
 * question is answered from the cache; an import or a mutation moves the version, so the next
 * answer is the new one, never the cached one; ETags and 304; and with REDIS_URL two API
 * instances share one cache (a real redis-server) and both see one import's change, and keep
 * answering from Neo4j while Redis is away.
 */
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { importIati } from '../../src/ingest/iati/import-iati.js';
import { readGraphVersion } from '../../src/store/graph-version.js';
import { database } from '../support/neo4j.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PORTFOLIO = path.join(projectRoot, 'test/fixtures/iati/portfolio.xml');
const PROGRAMMES = '{ programmes(sort: [{ name: ASC }]) { name } }';
const SECRET = 'response-cache-test-secret-of-32-chars!';

interface Answer {
  status: number;
  etag: string | null;
  age: string | null;
  cacheControl: string | null;
  names: string[];
  body: { data?: { programmes?: { name: string }[] } | null; errors?: unknown[] };
}

async function ask(
  server: TestServer,
  query = PROGRAMMES,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as Answer['body'];
  return {
    status: res.status,
    etag: res.headers.get('etag'),
    age: res.headers.get('age'),
    cacheControl: res.headers.get('cache-control'),
    names: body.data?.programmes?.map((p) => p.name) ?? [],
    body,
  };
}

describe('response cache in process (the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { AUTH_JWT_SECRET: SECRET } });
  });
  afterAll(() => server.close());

  it('answers a repeated question from the cache, with the same ETag', async () => {
    const first = await ask(server);
    expect(first.status).toBe(200);
    expect(first.names).toContain('Down to Zero');
    // A miss: answered by Neo4j, so no age.
    expect(first.age).toBeNull();
    expect(first.etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const second = await ask(server);
    expect(second.body).toEqual(first.body);
    expect(second.age).not.toBeNull();
    expect(second.etag).toBe(first.etag);
    // Other variables or another document: another entry and another tag.
    const other = await ask(server, '{ programmes(sort: [{ name: DESC }]) { name } }');
    expect(other.age).toBeNull();
    expect(other.etag).not.toBe(first.etag);
  });

  it('answers 304 to If-None-Match with the current tag, and 200 to an old one', async () => {
    const { etag } = await ask(server);
    if (!etag) throw new Error('no etag');
    const notModified = await ask(server, PROGRAMMES, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.etag).toBe(etag);
    expect(notModified.cacheControl).toBe('max-age=60, public');
    const stale = await ask(server, PROGRAMMES, { 'if-none-match': 'W/"0000"' });
    expect(stale.status).toBe(200);
    expect(stale.names).toContain('Down to Zero');
  });

  it('gives the new answer after an import: the version moved', async () => {
    const before = await ask(server);
    await ask(server); // cached
    const version = await readGraphVersion(server.driver, database(), 5000);
    const summary = await importIati(server.driver, database(), [PORTFOLIO]);
    expect(summary.nodesCreated).toBeGreaterThan(0);
    expect(await readGraphVersion(server.driver, database(), 5000)).not.toBe(version);
    const after = await ask(server);
    expect(after.age).toBeNull();
    expect(after.names.length).toBeGreaterThan(before.names.length);
    expect(after.etag).not.toBe(before.etag);
    // The old tag no longer matches: 200 with the new answer.
    const revalidated = await ask(server, PROGRAMMES, { 'if-none-match': before.etag ?? '' });
    expect(revalidated.status).toBe(200);
    expect(revalidated.names).toEqual(after.names);
  });

  it('gives the new answer after a mutation, and a refused mutation moves nothing', async () => {
    const query = '{ programmes(where: { name: { eq: "Down to Zero" } }) { name description } }';
    const before = await ask(server, query);
    await ask(server, query);
    const version = await readGraphVersion(server.driver, database(), 5000);
    const mutation = `mutation { updateProgrammes(where: { name: { eq: "Down to Zero" } },
      update: { description: { set: "DtZ-cache-test" } }) { programmes { name } } }`;
    const refused = await ask(server, mutation);
    expect(refused.status).toBe(401);
    expect(await readGraphVersion(server.driver, database(), 5000)).toBe(version);
    const token = await new SignJWT({ roles: ['editor'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    const done = await ask(server, mutation, { authorization: `Bearer ${token}` });
    expect(done.status).toBe(200);
    expect(await readGraphVersion(server.driver, database(), 5000)).not.toBe(version);
    const after = await ask(server, query);
    expect(after.age).toBeNull();
    expect(after.body).not.toEqual(before.body);
    expect(JSON.stringify(after.body)).toContain('DtZ-cache-test');
  });
});

describe('response cache: a hit is the answer the same request got', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { AUTH_JWT_SECRET: SECRET } });
  });
  afterAll(() => server.close());

  const raw = async (init: RequestInit & { path?: string }) => {
    const res = await fetch(`${server.url}${init.path ?? '/graphql'}`, init);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const post = (query: string, headers: Record<string, string> = {}, variables?: object) =>
    raw({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
  const token = (roles: string[], expires: string | number = '5m', sub = 'someone') =>
    new SignJWT({ roles, sub })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(expires)
      .sign(new TextEncoder().encode(SECRET));

  it('sends the same bytes and headers, per media type the client accepts', async () => {
    const query = '{ programmes(sort: [{ name: DESC }], limit: 3) { name } }';
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const miss = await post(query, { accept });
      const hit = await post(query, { accept });
      expect(miss.status).toBe(200);
      expect(miss.headers.get('age')).toBeNull();
      expect(hit.headers.get('age')).toMatch(/^\d+$/);
      expect(hit.text).toBe(miss.text);
      expect(hit.headers.get('content-type')).toBe(`${accept}; charset=utf-8`);
      for (const header of ['content-type', 'cache-control', 'etag', 'content-length', 'vary'])
        expect(hit.headers.get(header), header).toBe(miss.headers.get(header));
      // Both media types from one URL: a cache on the way keeps one answer per Accept.
      expect(hit.headers.get('vary')?.toLowerCase()).toContain('accept');
      expect(hit.headers.get('x-request-id')).not.toBe(miss.headers.get('x-request-id'));
    }
  });

  it("keys by variables, by GET and POST, and answers 304 to a hit's tag", async () => {
    const query = 'query ($n: Int) { programmes(sort: [{ name: ASC }], limit: $n) { name } }';
    const two = await post(query, {}, { n: 2 });
    const three = await post(query, {}, { n: 3 });
    const names = (text: string) => (JSON.parse(text) as Answer['body']).data?.programmes;
    expect(names(two.text)).toHaveLength(2);
    expect(names(three.text)).toHaveLength(3);
    expect(three.headers.get('age')).toBeNull();
    const get = () =>
      raw({
        path: `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent('{"n":2}')}`,
        headers: { 'apollo-require-preflight': 'true' },
      });
    const viaGet = await get();
    expect(viaGet.text).toBe(two.text);
    expect((await get()).headers.get('age')).not.toBeNull();
    const etag = viaGet.headers.get('etag') ?? '';
    const notModified = await raw({
      path: `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent('{"n":2}')}`,
      headers: { 'apollo-require-preflight': 'true', 'if-none-match': etag },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(notModified.headers.get('cache-control')).toBe('max-age=60, public');
  });

  it('refuses what Apollo Server refuses, though the same document is cached', async () => {
    const query = '{ programmes(sort: [{ name: ASC }], limit: 1) { name } }';
    const path = `/graphql?query=${encodeURIComponent(query)}`;
    const allowed = await raw({ path, headers: { 'apollo-require-preflight': 'true' } });
    await raw({ path, headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
    // CSRF prevention: a GET with no preflight header is refused, cached answer or not.
    const simple = await raw({ path });
    expect(simple.status).toBe(400);
    expect(simple.text).not.toBe(allowed.text);
    // A token that does not verify is refused, not given the answer cached without one.
    await post(query);
    const forged = await post(query, { authorization: 'Bearer a.b.c' });
    expect(forged.status).toBe(401);
    const expired = await post(query, {
      authorization: `Bearer ${await token([], Math.floor(Date.now() / 1000) - 60)}`,
    });
    expect(expired.status).toBe(401);
  });

  it("keeps each caller's answers apart, and never keeps an answer with errors", async () => {
    const query = '{ programmes(sort: [{ name: ASC }], limit: 2) { name } }';
    const alice = `Bearer ${await token(['reader'], '5m', 'alice')}`;
    const bob = `Bearer ${await token(['reader'], '5m', 'bob')}`;
    await post(query, { authorization: alice });
    expect((await post(query, { authorization: alice })).headers.get('age')).not.toBeNull();
    // Another caller's first request is a miss, though the answer is the same.
    const other = await post(query, { authorization: bob });
    expect(other.headers.get('age')).toBeNull();
    const partial = '{ home { name } partners(of: "nobody at all") { role } }';
    const accept = { accept: 'application/graphql-response+json' };
    const first = await post(partial, accept);
    const again = await post(partial, accept);
    expect(first.status).toBe(200);
    expect((JSON.parse(first.text) as Answer['body']).errors?.length).toBeGreaterThan(0);
    expect(again.headers.get('age')).toBeNull();
  });
});

describe('response cache shared in Redis (REDIS_URL), two API instances', () => {
  let redis: TestRedis;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    redis = await startRedis();
    const overrides = { REDIS_URL: redis.url };
    a = await startTestServer({ overrides });
    b = await startTestServer({ overrides, reseed: false });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('answers on one instance what the other cached, and both see an import', async () => {
    const query = '{ programmes(sort: [{ name: ASC }]) { name startYear } }';
    const fromA = await ask(a, query);
    expect(fromA.age).toBeNull();
    // Written in the background after A answered: give it a moment to land in Redis.
    let fromB = await ask(b, query);
    for (let i = 0; i < 20 && fromB.age === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
      fromB = await ask(b, query);
    }
    expect(fromB.age).not.toBeNull();
    expect(fromB.body).toEqual(fromA.body);
    expect(fromB.etag).toBe(fromA.etag);

    await importIati(a.driver, database(), [PORTFOLIO]);
    const newA = await ask(a, query);
    const newB = await ask(b, query);
    expect(newA.names.length).toBeGreaterThan(fromA.names.length);
    expect(newB.body).toEqual(newA.body);
  });

  it('answers from Neo4j while Redis is away, and /health answers', async () => {
    await redis.stop();
    const query = '{ programmes(sort: [{ name: ASC }]) { name endYear } }';
    const first = await ask(a, query);
    const second = await ask(b, query);
    expect(first.status).toBe(200);
    expect(first.names).toContain('Down to Zero');
    expect(second.body).toEqual(first.body);
    expect(second.age).toBeNull();
    const health = await fetch(`${a.url}/health`);
    expect(health.status).toBe(200);
    // Back on the same port: the instances use it again.
    redis = await startRedis(redis.port);
    let hit: Answer | undefined;
    for (let i = 0; i < 40 && !hit?.age; i++) {
      await ask(a, query);
      await new Promise((r) => setTimeout(r, 100));
      hit = await ask(b, query);
    }
    expect(hit?.age).not.toBeNull();
  });
});
