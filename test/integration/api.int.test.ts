/**
 * The HTTP API as dashboards meet it: routes, GET and POST, caching hints, auth, limits,
 * error codes, and Neo4j going down and coming back. Real HTTP, real Neo4j.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createDriver } from '../../src/store/driver.js';
import { StartupError } from '../../src/errors/expected.js';
import { gql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

const SECRET = 'test-secret-that-is-long-enough-for-hs256!';
const token = (claims: Record<string, unknown>, secret = SECRET) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
const bearer = async (claims: Record<string, unknown>, secret?: string) => ({
  authorization: `Bearer ${await token(claims, secret)}`,
});

const CREATE_ORG = `mutation CreateOrg($key: String!) {
  createOrganisations(input: [{ key: $key, name: "Test org", aliases: [], kind: NGO, iatiOrganisationType: "22", named: true, quote: "an editor's note", sources: ["test"] }]) {
    organisations { key name }
  }
}`;
const DELETE_ORG = `mutation DeleteOrg($key: String!) { deleteOrganisations(where: { key: { eq: $key } }) { nodesDeleted } }`;

describe('the API', () => {
  let server: TestServer;
  const logLines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    server = await startTestServer({
      overrides: {
        AUTH_JWT_SECRET: SECRET,
        CORS_ORIGINS: 'https://dashboard.example',
        LIMIT_MAX_DEPTH: '6',
        LIMIT_MAX_ALIASES: '3',
        LIMIT_MAX_PAGE_SIZE: '20',
        LIMIT_MAX_TOKENS: '300',
      },
      log: pino({ level: 'info' }, sink),
    });
  });
  afterAll(() => server.close());

  describe('routes', () => {
    it('/health says the process is up and /ready that Neo4j is reachable', async () => {
      expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, neo4j: 'reachable' });
    });

    it('answers GET /graphql for dashboards, with a cache hint, and refuses a GET without a CSRF-safe header', async () => {
      const url = `${server.url}/graphql?query=${encodeURIComponent('query Home { home { name } }')}`;
      const ok = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ data: { home: { name: 'Defence for Children' } } });
      expect(ok.headers.get('cache-control')).toBe('max-age=60, public');
      const refused = await fetch(url);
      expect(refused.status).toBe(400);
    });

    it('says how long a read may be kept only when it answered without errors', async () => {
      const partial = await gql(
        server,
        '{ home { name } partners(of: "nobody") { role } }',
        undefined,
        {
          accept: 'application/graphql-response+json',
        },
      );
      expect(partial.status).toBe(200);
      expect(partial.body.errors?.length).toBeGreaterThan(0);
      expect(partial.headers.get('cache-control')).toBe('no-store');
      const whole = await gql(server, '{ home { name } }');
      expect(whole.headers.get('cache-control')).toBe('max-age=60, public');
      // Introspection alone changes with a deploy, not with the graph: not kept.
      const introspection = await gql(server, '{ __typename __type(name: "Programme") { name } }');
      expect(introspection.body.data).toEqual({
        __typename: 'Query',
        __type: { name: 'Programme' },
      });
      expect(introspection.headers.get('cache-control')).toBe('no-store');
      const viaFragment = await gql(server, 'query { ...F } fragment F on Query { home { name } }');
      expect(viaFragment.headers.get('cache-control')).toBe('max-age=60, public');
    });

    it('logs one line per request with the operation name and duration', async () => {
      logLines.length = 0;
      await gql(server, 'query CountOfHome { home { key } }', undefined, {
        'x-request-id': 'req-42',
      });
      const lines = logLines.filter((l) => l.msg === 'request');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        requestId: 'req-42',
        method: 'POST',
        path: '/graphql',
        status: 200,
        operationName: 'CountOfHome',
      });
      expect(typeof lines[0]?.durationMs).toBe('number');
    });

    it('allows CORS for listed origins only', async () => {
      const preflight = (origin: string) =>
        fetch(`${server.url}/graphql`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
      expect(
        (await preflight('https://dashboard.example')).headers.get('access-control-allow-origin'),
      ).toBe('https://dashboard.example');
      expect(
        (await preflight('https://evil.example')).headers.get('access-control-allow-origin'),
      ).toBeNull();
    });
  });

  describe('auth', () => {
    it('lets anyone read', async () => {
      const { body } = await gql(
        server,
        '{ organisations(where: { key: { eq: "tui" } }) { name } }',
      );
      expect(body).toEqual({ data: { organisations: [{ name: 'TUI' }] } });
    });

    it('refuses a mutation without a token: HTTP 401 UNAUTHENTICATED', async () => {
      const { status, body } = await gql(server, CREATE_ORG, { key: 'test-org' });
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(body.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
    });

    it('refuses a token signed with another secret: UNAUTHENTICATED', async () => {
      const { status, body } = await gql(
        server,
        CREATE_ORG,
        { key: 'test-org' },
        await bearer({ roles: ['editor'] }, 'another-secret-that-is-long-enough-too!'),
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(status).toBe(401);
    });

    it('refuses a token without the editor role: FORBIDDEN, and writes nothing', async () => {
      const { body } = await gql(
        server,
        CREATE_ORG,
        { key: 'test-org' },
        await bearer({ roles: ['reader'] }),
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const check = await gql(
        server,
        '{ organisations(where: { key: { eq: "test-org" } }) { key } }',
      );
      expect(check.body.data).toEqual({ organisations: [] });
    });

    it('lets an editor create and delete (the "Bearer" scheme in any capitals)', async () => {
      const headers = { authorization: `bearer ${await token({ roles: ['editor'] })}` };
      const created = await gql(server, CREATE_ORG, { key: 'test-org' }, headers);
      expect(created.body).toEqual({
        data: { createOrganisations: { organisations: [{ key: 'test-org', name: 'Test org' }] } },
      });
      expect(created.headers.get('cache-control')).not.toContain('public');
      const deleted = await gql(server, DELETE_ORG, { key: 'test-org' }, headers);
      expect(deleted.body).toEqual({ data: { deleteOrganisations: { nodesDeleted: 1 } } });
    });
  });

  describe('partners of a programme nobody is said to fund', () => {
    it('still lists the partners, with an empty funding list', async () => {
      const headers = await bearer({ roles: ['editor'] });
      const edge = {
        iatiRole: '4',
        countries: [],
        quote: "an editor's note",
        source: 'test',
        sources: ['test'],
        basis: 'STATED',
      };
      const created = await gql(
        server,
        `mutation Unfunded($edgeA: ParticipationCreateInput!, $edgeB: ParticipationCreateInput!) {
          createProgrammes(input: [{ key: "unfunded", name: "Unfunded", aliases: [], type: PROJECT, quote: "an editor's note", sources: ["test"],
            participants: { connect: [
              { where: { node: { key: { eq: "tui" } } }, edge: $edgeA },
              { where: { node: { key: { eq: "anvr" } } }, edge: $edgeB }
            ] } }]) { programmes { key } }
        }`,
        { edgeA: { ...edge, role: 'LEAD' }, edgeB: { ...edge, role: 'PARTNER' } },
        headers,
      );
      expect(created.body.errors).toBeUndefined();
      try {
        const { body } = await gql(
          server,
          '{ partners(of: "TUI") { organisation { name } role programme { name } funding { funder { name } } } }',
        );
        const unfunded = (
          body.data as { partners: { programme: { name: string } }[] }
        ).partners.filter((p) => p.programme.name === 'Unfunded');
        expect(unfunded).toEqual([
          {
            organisation: { name: 'ANVR' },
            role: 'PARTNER',
            programme: { name: 'Unfunded' },
            funding: [],
          },
        ]);
      } finally {
        await gql(
          server,
          'mutation { deleteProgrammes(where: { key: { eq: "unfunded" } }) { nodesDeleted } }',
          undefined,
          headers,
        );
      }
    });

    it('funding routes: a fund without a named owner is a route without a funder, a fund with two owners one route per owner, in name order', async () => {
      const headers = await bearer({ roles: ['editor'] });
      const note = {
        quote: "an editor's note",
        source: 'test',
        sources: ['test'],
        basis: 'STATED',
      };
      const funding = { ...note, coFinancing: false };
      const connect = (key: string, edge: object) => ({
        where: { node: { key: { eq: key } } },
        edge,
      });
      const part = { ...note, role: 'PARTNER', iatiRole: '4', countries: [] };
      const node = { aliases: [], quote: note.quote, sources: note.sources };
      const created = await gql(
        server,
        `mutation Routes($programmes: [ProgrammeCreateInput!]!, $funds: [FundCreateInput!]!) {
          createProgrammes(input: $programmes) { programmes { key } }
          createFunds(input: $funds) { funds { key } }
        }`,
        {
          programmes: [
            {
              ...node,
              key: 'routes',
              name: 'Routes',
              type: 'PROJECT',
              participants: {
                connect: [connect('tui', part), connect('kinderrechtencollectief', part)],
              },
              funders: { connect: [connect('anvr', funding)] },
            },
          ],
          funds: [
            {
              ...node,
              key: 'routes-orphan',
              name: 'Orphan fund',
              kind: 'FUND',
              finances: { connect: [connect('routes', funding)] },
            },
            {
              ...node,
              key: 'routes-shared',
              name: 'Shared fund',
              kind: 'FUND',
              owners: { connect: [connect('anvr', note), connect('defence-for-children', note)] },
              finances: { connect: [connect('routes', funding)] },
            },
          ],
        },
        headers,
      );
      expect(created.body.errors).toBeUndefined();
      try {
        const { body } = await gql<{
          fundingChains: {
            funder: { key: string } | null;
            fund: { key: string } | null;
            programme: { key: string };
          }[];
        }>(
          server,
          '{ fundingChains(to: "tui", limit: 20) { funder { key } fund { key } programme { key } } }',
        );
        expect(body.errors).toBeUndefined();
        const routes = body.data?.fundingChains
          .filter((c) => c.programme.key === 'routes')
          .map((c) => `${c.funder?.key ?? '-'} / ${c.fund?.key ?? 'direct'}`);
        // Ordered by funder name (none first), then fund name (direct first).
        const expected = [
          '- / routes-orphan',
          'anvr / direct',
          'anvr / routes-shared',
          'defence-for-children / routes-shared',
        ];
        expect(routes).toEqual(expected);
        // A partner's funding list: the same routes, in the same order.
        const partners = await gql<{
          partners: {
            organisation: { key: string };
            programme: { key: string };
            funding: { funder: { key: string } | null; fund: { key: string } | null }[];
          }[];
        }>(
          server,
          '{ partners(of: "tui", limit: 20) { organisation { key } programme { key } funding { funder { key } fund { key } } } }',
        );
        expect(partners.body.errors).toBeUndefined();
        const here = partners.body.data?.partners.filter((p) => p.programme.key === 'routes');
        expect(here?.map((p) => p.organisation.key)).toEqual(['kinderrechtencollectief']);
        expect(
          here?.[0]?.funding.map((r) => `${r.funder?.key ?? '-'} / ${r.fund?.key ?? 'direct'}`),
        ).toEqual(expected);
      } finally {
        await gql(
          server,
          `mutation {
            deleteFunds(where: { key: { in: ["routes-orphan", "routes-shared"] } }) { nodesDeleted }
            deleteProgrammes(where: { key: { eq: "routes" } }) { nodesDeleted }
          }`,
          undefined,
          headers,
        );
      }
    });
  });

  describe('limits and bad input', () => {
    it('refuses a query deeper than the limit: QUERY_LIMIT_EXCEEDED', async () => {
      const { status, body } = await gql(
        server,
        '{ organisations { participatesIn { participants { participatesIn { participants { participatesIn { name } } } } } } }',
      );
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'QUERY_LIMIT_EXCEEDED',
        limit: 'depth',
      });
    });

    it('refuses too many aliases: QUERY_LIMIT_EXCEEDED', async () => {
      const { status, body } = await gql(
        server,
        '{ a: home { name } b: home { name } c: home { name } d: home { name } }',
      );
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'QUERY_LIMIT_EXCEEDED',
        limit: 'aliases',
      });
    });

    it('refuses an empty filter inside a filter, which @neo4j/graphql would drop, and says where', async () => {
      // The library leaves `some: {}` and an empty OR branch out of its Cypher: the answer
      // would hold organisations that fund nothing. Literal and in variables alike.
      for (const [query, variables] of [
        ['{ organisations(where: { finances: { some: {} } }) { key } }', undefined],
        [
          'query ($w: OrganisationWhere) { organisations(where: $w) { key } }',
          { w: { OR: [{}, { kind: { eq: 'MINISTRY' } }] } },
        ],
      ] as const) {
        const { status, body } = await gql(server, query, variables);
        expect(status).toBe(400);
        expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(body.errors?.[0]?.message).toMatch(
          /organisations\.where\.(finances\.some|OR\[0\]): an empty filter/,
        );
      }
      // An empty filter of the whole list still means everything.
      const all = await gql(server, '{ organisations(where: {}, limit: 1) { key } }');
      expect(all.status).toBe(200);
      expect((all.body.data as { organisations: unknown[] }).organisations).toHaveLength(1);
    });

    it('refuses a query that costs more than the limit: QUERY_LIMIT_EXCEEDED', async () => {
      const costly = await startTestServer({ overrides: { LIMIT_MAX_COST: '20' }, reseed: false });
      try {
        const { status, body } = await gql(
          costly,
          '{ organisations { name kind finances { name countries { code nameEn nameNl } } } }',
        );
        expect(status).toBe(400);
        expect(body.errors?.[0]?.extensions).toMatchObject({
          code: 'QUERY_LIMIT_EXCEEDED',
          limit: 'cost',
        });
      } finally {
        await costly.close();
      }
    });

    it('refuses a document with too many tokens: GRAPHQL_PARSE_FAILED', async () => {
      const { status, body } = await gql(
        server,
        `{ ${Array.from({ length: 200 }, () => 'home { name }').join(' ')} }`,
      );
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    });

    it("refuses a page size given by a variable's default value", async () => {
      const { status, body } = await gql(
        server,
        'query Page($n: Int = 500) { organisations(limit: $n) { key } }',
      );
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'limit',
      });
      const negative = await gql(server, '{ organisations(offset: -1) { key } }');
      expect(negative.status).toBe(400);
      expect(negative.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'offset',
      });
    });

    it('bounds lists nobody pages by the page size limit (@limit max from configuration)', async () => {
      const { body } = await gql<{ countries: { code: string }[] }>(
        server,
        '{ countries(sort: [{ code: ASC }]) { code } }',
      );
      // The seed names 25 countries; LIMIT_MAX_PAGE_SIZE is 20 here.
      expect(body.data?.countries).toHaveLength(20);
      const all = await gql<{ countriesConnection: { totalCount: number } }>(
        server,
        '{ countriesConnection { totalCount } }',
      );
      expect(all.body.data?.countriesConnection.totalCount).toBe(25);
    });

    it('pages the analyst lists with limit and offset, under the same rule', async () => {
      type Page = { partners: { organisation: { key: string }; programme: { key: string } }[] };
      const pair = (p: Page['partners'][number]) => `${p.programme.key}/${p.organisation.key}`;
      const whole = await gql<Page>(
        server,
        '{ partners { organisation { key } programme { key } } }',
      );
      const all = whole.body.data?.partners ?? [];
      // The default page is the page size limit (20 here); the home organisation has more partners.
      expect(all).toHaveLength(20);
      const page = await gql<Page>(
        server,
        '{ partners(limit: 3, offset: 2) { organisation { key } programme { key } } }',
      );
      expect(page.body.data?.partners.map(pair)).toEqual(all.slice(2, 5).map(pair));
      const rest = await gql<Page>(
        server,
        '{ partners(limit: 20, offset: 20) { organisation { key } programme { key } } }',
      );
      expect(rest.body.data?.partners.length).toBeGreaterThan(0);
      expect(rest.body.data?.partners.map(pair)).not.toContain(all[0] && pair(all[0]));
      for (const bad of [
        'partners(limit: 21)',
        'fundingChains(offset: -1)',
        'programmesInCountry(country: "ET", limit: 500)',
      ]) {
        const refused = await gql(server, `{ ${bad} { __typename } }`);
        expect(refused.status, bad).toBe(400);
        expect(refused.body.errors?.[0]?.extensions?.code, bad).toBe('BAD_USER_INPUT');
      }
    });

    it('answers malformed JSON, an oversized body and an unknown route with JSON errors', async () => {
      const malformed = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": ',
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({
        errors: [{ message: 'The body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
      });
      const huge = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ home { name } } #${'x'.repeat(200_000)}` }),
      });
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as GraphQLResponse['body']).errors?.[0]?.extensions?.code).toBe(
        'PAYLOAD_TOO_LARGE',
      );
      const missing = await fetch(`${server.url}/no/such/route`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/application\/json/);
      expect(
        ((await missing.json()) as GraphQLResponse['body']).errors?.[0]?.extensions?.code,
      ).toBe('NOT_FOUND');
    });

    it('refuses a page larger than the limit, literal or variable: BAD_USER_INPUT', async () => {
      const literal = await gql(server, '{ organisations(limit: 21) { name } }');
      expect(literal.status).toBe(400);
      expect(literal.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'limit',
      });
      const variable = await gql(
        server,
        'query Page($n: Int) { organisationsConnection(first: $n) { totalCount } }',
        { n: 500 },
      );
      expect(variable.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'first',
      });
      const negative = await gql(server, '{ programmes(limit: -1) { name } }');
      expect(negative.status).toBe(400);
      expect(negative.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'limit',
      });
      const fine = await gql(server, '{ organisations(limit: 20, sort: [{ key: ASC }]) { key } }');
      expect((fine.body.data as { organisations: unknown[] }).organisations).toHaveLength(20);
    });

    it('rejects an unknown country with BAD_USER_INPUT and says what it accepts', async () => {
      const { body } = await gql(server, '{ partners(country: "Atlantis") { role } }');
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toMatch(
        /Unknown country "Atlantis".*ISO 3166-1 alpha-2 code \(ET\).*English name.*Dutch name/,
      );
    });

    it("finds organisations by alias and countries by the source's own spelling", async () => {
      const { body } = await gql(
        server,
        '{ partners(of: "Plan Nederland", country: "Filippijnen") { organisation { name } programme { name } } }',
      );
      expect(body.errors).toBeUndefined();
      const partners = (
        body.data as { partners: { organisation: { name: string }; programme: { name: string } }[] }
      ).partners;
      expect(new Set(partners.map((p) => p.programme.name))).toEqual(new Set(['Down to Zero']));
      expect(partners.map((p) => p.organisation.name)).toContain('Defence for Children');
    });

    it('rejects an unknown or ambiguous organisation or country with BAD_USER_INPUT', async () => {
      const nobody = await gql(server, '{ partners(of: "Nobody Foundation") { role } }');
      expect(nobody.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'of',
      });
      expect(nobody.body.errors?.[0]?.message).toMatch(
        /^No organisation is named "Nobody Foundation"\. (Did you mean|Give its key)/,
      );
      const congo = await gql(server, '{ programmesInCountry(country: "Congo") { name } }');
      expect(congo.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'country',
      });
      expect(congo.body.errors?.[0]?.message).toBe('"Congo" may mean CD or CG: give the ISO code.');
    });

    it('searches Lucene operators and special characters as plain words', async () => {
      for (const phrase of [
        'terre OR',
        'NOT',
        'AND hommes',
        'plan AND',
        '"terre',
        'hommes~ (des*',
      ]) {
        const { status, body } = await gql(
          server,
          'query S($p: String!) { search(phrase: $p) { name } }',
          { p: phrase },
        );
        expect(status, phrase).toBe(200);
        expect(body.errors, phrase).toBeUndefined();
      }
      const { body } = await gql(server, '{ search(phrase: "AND hommes") { name } }');
      expect((body.data as { search: { name: string }[] }).search[0]?.name).toMatch(
        /^Terre des hommes/i,
      );
    });

    it('rejects a wrong variable type with BAD_USER_INPUT', async () => {
      const { status, body } = await gql(
        server,
        'query Y($year: Int!) { programmesActiveIn(year: $year) { name } }',
        { year: 'twenty' },
      );
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('shows no stack trace outside development', async () => {
      const { body } = await gql(server, '{ partners(country: "Atlantis") { role } }');
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|\.ts:\d+/);
    });
  });
});

describe('reads that require a token (AUTH_REQUIRE_FOR_READS=true)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      overrides: { AUTH_JWT_SECRET: SECRET, AUTH_REQUIRE_FOR_READS: 'true' },
      reseed: false,
    });
  });
  afterAll(() => server.close());

  it('answers 401 UNAUTHENTICATED without a token, and the data with one, cached privately', async () => {
    const refused = await gql(server, '{ home { name } }');
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const ok = await gql(
      server,
      '{ home { name } }',
      undefined,
      await bearer({ sub: 'dashboard' }),
    );
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ home: { name: 'Defence for Children' } });
    expect(ok.headers.get('cache-control')).toBe('max-age=60, private');
  });
});

/** A TCP relay to the tests' Neo4j that can be cut and restored, to take Neo4j "down". */
async function relay(target: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const open = (port: number) =>
    new Promise<number>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve((server?.address() as net.AddressInfo).port));
    });
  const port = await open(0);
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server?.close(() => resolve());
      }),
    restore: () => open(port),
  };
}

describe('Neo4j down and back', () => {
  it('answers 503 SERVICE_UNAVAILABLE and /ready false while Neo4j is unreachable, and recovers by itself', async () => {
    const target = Number(new URL(loadConfig().neo4j.uri).port);
    const link = await relay(target);
    const driver = createDriver({ ...loadConfig().neo4j, uri: `bolt://127.0.0.1:${link.port}` });
    const server = await startTestServer({ driver, reseed: false });
    try {
      const before = await gql(server, '{ organisations(where: { key: { eq: "tui" } }) { name } }');
      expect(before.body.data).toEqual({ organisations: [{ name: 'TUI' }] });

      await link.cut();
      const down = await gql(server, '{ organisations(where: { key: { eq: "tui" } }) { name } }');
      expect(down.status).toBe(503);
      expect(down.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(down.body.errors?.[0]?.message).toBe(
        'The database is unavailable; try again shortly.',
      );
      const analyst = await gql(server, '{ partners(country: "ET") { role } }');
      expect(analyst.status).toBe(503);
      expect(analyst.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      const notReady = await fetch(`${server.url}/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({
        ready: false,
        neo4j: 'unreachable',
        errors: [
          {
            message: 'Neo4j did not answer within 1 s.',
            extensions: { code: 'SERVICE_UNAVAILABLE' },
          },
        ],
      });
      expect((await fetch(`${server.url}/health`)).status).toBe(200);

      await link.restore();
      const after = await gql(server, '{ organisations(where: { key: { eq: "tui" } }) { name } }');
      expect(after.status).toBe(200);
      expect(after.body.data).toEqual({ organisations: [{ name: 'TUI' }] });
      expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    } finally {
      await server.close();
      await driver.close();
      await link.cut();
    }
  }, 60_000);
});

describe('start-up', () => {
  it('refuses to start, saying why, when HOME_ORGANISATION names no organisation', async () => {
    const error = await startTestServer({
      overrides: { HOME_ORGANISATION: 'nobody-of-that-key' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/HOME_ORGANISATION is "nobody-of-that-key"/);
  });
});
