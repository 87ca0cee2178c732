/**
 * Trusted documents over real HTTP against the seeded graph: the saved questions by id (GET and
 * POST, the proposal's `sha256:` form and Apollo's persisted-query extension) answer what the
 * document itself answers; unknown ids and mismatched hashes are refused with their codes; with
 * TRUSTED_DOCUMENTS_ONLY=true any other document is refused before it reaches Neo4j, while
 * /health answers (README: Calling it from a dashboard).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentIds } from '../../src/generated/document-ids.js';
import { loadSavedQueries, type SavedQuery } from '../../src/api/saved-queries.js';
import { gql, startTestServer, type TestServer } from '../support/server.js';

const saved = (name: string): SavedQuery => {
  const found = loadSavedQueries().find((q) => q.operationName === name);
  if (!found) throw new Error(`no saved question ${name}`);
  return found;
};
const headline = saved('PartnersInEthiopiaUnderMinistryGrant');
const headlineId = documentIds.PartnersInEthiopiaUnderMinistryGrant;
// GET needs a header a browser form cannot send (Apollo Server's CSRF prevention).
const GET_HEADERS = { 'apollo-require-preflight': 'true' };

interface Answer {
  status: number;
  cacheControl: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function get(server: TestServer, params: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql?${new URLSearchParams(params).toString()}`, {
    headers: GET_HEADERS,
  });
  return {
    status: res.status,
    cacheControl: res.headers.get('cache-control'),
    body: (await res.json()) as Answer['body'],
  };
}

async function post(server: TestServer, body: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    cacheControl: res.headers.get('cache-control'),
    body: (await res.json()) as Answer['body'],
  };
}

const codes = (a: Answer) => a.body.errors?.map((e) => e.extensions?.code);

describe.each([false, true])('trusted documents (TRUSTED_DOCUMENTS_ONLY=%s)', (only) => {
  let server: TestServer;
  let expected: unknown;
  beforeAll(async () => {
    server = await startTestServer({
      overrides: { TRUSTED_DOCUMENTS_ONLY: String(only) },
      reseed: !only,
    });
    const direct = await gql(server, headline.document, headline.variables);
    expect(direct.status).toBe(200);
    expected = direct.body.data;
  });
  afterAll(() => server.close());

  it('answers a saved question by its id, by GET and POST, as the document answers', async () => {
    // The seed's answer: partners in Ethiopia under a ministry grant.
    const { partners } = expected as { partners: unknown[] };
    expect(partners.length).toBeGreaterThan(0);
    const variables = JSON.stringify(headline.variables);
    const byGet = await get(server, { id: headlineId, variables });
    expect(byGet.status).toBe(200);
    expect(byGet.body.data).toEqual(expected);
    // Short and cacheable: a shared cache may keep it.
    expect(byGet.cacheControl).toMatch(/public/);
    const prefixed = await get(server, { documentId: `sha256:${headlineId}`, variables });
    expect(prefixed.body.data).toEqual(expected);
    const byPost = await post(server, { id: headlineId, variables: headline.variables });
    expect(byPost.status).toBe(200);
    expect(byPost.body.data).toEqual(expected);
    // Apollo's persisted-query extension, hash only.
    const apollo = await post(server, {
      variables: headline.variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: headlineId } },
    });
    expect(apollo.body.data).toEqual(expected);
  });

  it('refuses an unknown id (404), a malformed one and a text that is not its hash (400)', async () => {
    const unknown = await get(server, { id: 'a'.repeat(64) });
    expect(unknown.status).toBe(404);
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const malformed = await post(server, { id: 'programme-leads' });
    expect(malformed.status).toBe(400);
    expect(codes(malformed)).toEqual(['BAD_REQUEST']);
    const two = await post(server, { id: headlineId, documentId: documentIds.ProgrammeLeads });
    expect(codes(two)).toEqual(['BAD_REQUEST']);
    const mismatch = await post(server, {
      query: '{ home { key } }',
      extensions: { persistedQuery: { version: 1, sha256Hash: headlineId } },
    });
    expect(mismatch.status).toBe(400);
    expect(codes(mismatch)).toEqual(['BAD_REQUEST']);
  });

  it('runs a saved question sent as text, however it is spelt', async () => {
    const respelt = `# sent by hand\n${headline.document.replace(/\n/g, '\n  ')}`;
    const answer = await post(server, { query: respelt, variables: headline.variables });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual(expected);
  });

  it(
    only
      ? 'refuses any other document, before it runs, and still answers /health'
      : 'runs any other document too',
    async () => {
      const query = '{ home { key } }';
      const other = await post(server, { query });
      // With its hash, as Apollo's client sends it after a PERSISTED_QUERY_NOT_FOUND.
      const hash = createHash('sha256').update(query).digest('hex');
      const withHash = await post(server, {
        query,
        extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      });
      const byHash = await post(server, {
        extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      });
      expect(byHash.status).toBe(404);
      if (only) {
        for (const refused of [other, withHash]) {
          expect(refused.status).toBe(400);
          expect(codes(refused)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
          expect(refused.body.data).toBeUndefined();
        }
        const introspection = await get(server, { query: '{ __schema { types { name } } }' });
        expect(codes(introspection)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
        const health = await fetch(`${server.url}/health`);
        expect(await health.json()).toEqual({ status: 'ok' });
      } else {
        for (const answered of [other, withHash]) {
          expect(answered.status).toBe(200);
          expect(answered.body.data).toEqual({ home: { key: 'defence-for-children' } });
        }
      }
    },
  );
});
