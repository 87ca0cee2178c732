/**
 * The GraphQL-over-HTTP spec, over real HTTP against the API on the seeded graph: graphql-http's
 * own audit of the spec (every MUST passes), and the statuses of answers that carry errors, for
 * each media type a client may accept (README: Auth and limits, Errors).
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

describe('GraphQL over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const post = async (query: string, accept: string) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { extensions?: { code?: string } }[];
    };
    return { status: res.status, type: res.headers.get('content-type') ?? '', body };
  };

  it("passes every MUST of graphql-http's audit", async () => {
    const results = await Promise.all(
      serverAudits({ url: `${server.url}/graphql` }).map((audit) => audit.fn()),
    );
    const failedMusts = results
      .filter((r) => r.name.startsWith('MUST') && r.status !== 'ok')
      .map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failedMusts).toEqual([]);
    // The audit ran: it holds thirteen MUSTs (graphql-http 1.23).
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThanOrEqual(13);
  });

  const PARTIAL = '{ home { name } partners(of: "nobody at all") { role } }';

  it('answers data with a failed field as 200 when the client accepts graphql-response+json', async () => {
    const { status, type, body } = await post(
      PARTIAL,
      `${GRAPHQL_RESPONSE_JSON}, application/json`,
    );
    expect(type).toContain(GRAPHQL_RESPONSE_JSON);
    expect(status).toBe(200);
    expect(body.data?.home).toEqual({ name: 'Defence for Children' });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keeps the error status for the same answer as application/json', async () => {
    for (const accept of ['application/json', `${GRAPHQL_RESPONSE_JSON};q=0.5, application/json`]) {
      const { status, type, body } = await post(PARTIAL, accept);
      expect(type).toContain('application/json');
      expect(status).toBe(400);
      expect(body.data?.home).toEqual({ name: 'Defence for Children' });
    }
  });

  it('answers a request refused before it ran with 4xx in either media type', async () => {
    for (const accept of [GRAPHQL_RESPONSE_JSON, 'application/json']) {
      const { status, body } = await post('{ home { nameOfSomethingElse } }', accept);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });
});
