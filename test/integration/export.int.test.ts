/**
 * GET /export/<saved-question>.csv|json: the saved questions as downloads, with variables from
 * the query string, through the same server, auth and limits as /graphql — and clear errors.
 */
import { parse } from 'csv-parse/sync';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

describe('exports', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers });

  it('exports the headline question as CSV, one row per partner, with its saved variables', async () => {
    const res = await get('/export/partners-in-ethiopia-under-ministry-grant.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain(
      'partners-in-ethiopia-under-ministry-grant.csv',
    );
    const rows = parse<Record<string, string>>(await res.text(), { columns: true });
    expect(rows.map((r) => r['organisation.name'])).toEqual([
      'Plan International Nederland',
      'Terre des Hommes',
      'lokale samenwerkingspartners (Girls Advocacy Alliance)',
    ]);
    expect(rows[0]?.['programme.name']).toBe('Girls Advocacy Alliance');
    expect(rows[0]?.['funding.funder.name']).toBe(
      'Ministerie van Buitenlandse Handel en Ontwikkelingssamenwerking',
    );
    expect(rows[0]?.['evidence.quote']).toContain(';');
  });

  it('reads variables from the query string by their types, and gives the same answer as JSON', async () => {
    const csv = await get('/export/programmes-active-in-year.csv?year=2019');
    const rows = parse<Record<string, string>>(await csv.text(), { columns: true });
    const json = await get('/export/programmes-active-in-year.json?year=2019');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    const data = (await json.json()) as { programmes: { name: string }[] };
    expect(rows.map((r) => r.name)).toEqual(data.programmes.map((p) => p.name));
    expect(rows.length).toBeGreaterThan(0);
    const other = await get('/export/programmes-active-in-year.csv?year=2030');
    expect(parse(await other.text(), { columns: true })).toEqual([]);
    // A list variable, comma-separated.
    const money = await get('/export/funding-by-country.csv?types=DISBURSEMENT,EXPENDITURE');
    expect(money.status).toBe(200);
  });

  it('exports an explorer view: the facts around a node, one row per edge with both ends and the quote', async () => {
    const res = await get('/export/neighbourhood.csv?type=PROGRAMME&key=down-to-zero');
    expect(res.status).toBe(200);
    const rows = parse<Record<string, string>>(await res.text(), { columns: true });
    const lead = rows.find((r) => r.role === 'LEAD');
    expect(lead?.['from.name']).toBe('Terre des Hommes');
    expect(lead?.['to.name']).toBe('Down to Zero');
    expect(lead?.quote).toContain('penvoerder');
    expect(
      rows
        .filter((r) => r.type === 'RUNS_IN')
        .map((r) => r['to.key'])
        .sort(),
    ).toEqual(['BR', 'DO', 'ID', 'IN', 'PH', 'TH']);
  });

  it('says what is wrong, with the status and code /graphql would give', async () => {
    const unknown = await get('/export/no-such-question.csv');
    expect(unknown.status).toBe(404);
    expect(
      ((await unknown.json()) as { errors: { extensions: { code: string } }[] }).errors[0]
        ?.extensions.code,
    ).toBe('NOT_FOUND');

    const badVariable = await get('/export/programmes-active-in-year.csv?yeer=2019');
    expect(badVariable.status).toBe(400);
    expect(
      ((await badVariable.json()) as { errors: { message: string }[] }).errors[0]?.message,
    ).toContain('takes: year');

    const notANumber = await get('/export/programmes-active-in-year.csv?year=soon');
    expect(notANumber.status).toBe(400);

    const badCountry = await get(
      '/export/partners-in-ethiopia-under-ministry-grant.csv?country=Atlantis',
    );
    expect(badCountry.status).toBe(400);
    const body = (await badCountry.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');

    const tooMany = await get(
      `/export/search.csv?${Array.from({ length: 40 }, (_, i) => `p${i}=x`).join('&')}`,
    );
    expect(tooMany.status).toBe(400);
  });

  it('checks tokens like /graphql: a bad token is 401, and reads need one when the server says so', async () => {
    const bad = await get('/export/search.csv', { authorization: 'Bearer not-a-token' });
    expect(bad.status).toBe(401);

    const secret = 'x'.repeat(40);
    const locked = await startTestServer({
      overrides: { AUTH_REQUIRE_FOR_READS: 'true', AUTH_JWT_SECRET: secret },
      reseed: false,
    });
    try {
      const anonymous = await fetch(`${locked.url}/export/search.json`);
      expect(anonymous.status).toBe(401);
      const token = await new SignJWT({ roles: ['reader'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
      const withToken = await fetch(`${locked.url}/export/search.json`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(withToken.status).toBe(200);
      const data = (await withToken.json()) as { search: { name: string }[] };
      expect(data.search[0]?.name).toBe('Terre des Hommes');
    } finally {
      await locked.close();
    }
  });
});
