/** Money through the API, on the page plus an imported IATI portfolio: totals per currency, never across. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSavedQueries } from '../../src/api/saved-queries.js';
import { projectRoot } from '../../src/config/index.js';
import { importIati } from '../../src/ingest/iati/import-iati.js';
import { database } from '../support/neo4j.js';
import { gql, startTestServer, type TestServer } from '../support/server.js';

const PORTFOLIO = path.join(projectRoot, 'test/fixtures/iati/portfolio.xml');
const saved = new Map(loadSavedQueries().map((q) => [q.name, q]));

describe('money in the API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await importIati(server.driver, database(), [PORTFOLIO]);
  });
  afterAll(() => server.close());

  async function run<T>(name: string, variables?: Record<string, unknown>): Promise<T> {
    const q = saved.get(name);
    if (!q) throw new Error(`no saved question ${name}`);
    const { status, body } = await gql<T>(server, q.document, variables ?? q.variables);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data as T;
  }

  it('funding-by-country: each country’s share of the disbursements and expenditure, per year and currency', async () => {
    const { moneyTotals } = await run<{ moneyTotals: Record<string, unknown>[] }>(
      'funding-by-country',
    );
    const rows = moneyTotals.map((r) => ({
      ...r,
      country: (r.country as { code: string }).code,
      value: Math.round((r.value as number) * 100) / 100,
    }));
    expect(rows).toEqual([
      {
        country: 'ET',
        year: 2019,
        type: 'DISBURSEMENT',
        currency: 'EUR',
        value: 12000,
        count: 1,
        apportioned: true,
      },
      {
        country: 'ET',
        year: 2019,
        type: 'EXPENDITURE',
        currency: 'ETB',
        value: 150000,
        count: 1,
        apportioned: false,
      },
      {
        country: 'ET',
        year: 2020,
        type: 'DISBURSEMENT',
        currency: 'EUR',
        value: 4500.3,
        count: 1,
        apportioned: true,
      },
      {
        country: 'KE',
        year: 2019,
        type: 'DISBURSEMENT',
        currency: 'EUR',
        value: 8000,
        count: 1,
        apportioned: true,
      },
      {
        country: 'KE',
        year: 2020,
        type: 'DISBURSEMENT',
        currency: 'EUR',
        value: 3000.2,
        count: 1,
        apportioned: true,
      },
    ]);
  });

  it('disbursements-to-partners: what Plan paid each partner, per year', async () => {
    const { moneyTotals } = await run<{ moneyTotals: Record<string, unknown>[] }>(
      'disbursements-to-partners',
    );
    expect(moneyTotals).toEqual([
      {
        recipient: {
          key: 'rvo',
          name: 'Rijksdienst voor Ondernemend Nederland',
          iatiRef: 'NL-KVK-27378529',
        },
        year: 2020,
        type: 'DISBURSEMENT',
        currency: 'EUR',
        value: 7500.5,
        count: 1,
      },
      {
        recipient: {
          key: 'terre-des-hommes-nederland',
          name: 'Terre des Hommes',
          iatiRef: 'NL-KVK-41149287',
        },
        year: 2019,
        type: 'DISBURSEMENT',
        currency: 'EUR',
        value: 20000,
        count: 1,
      },
    ]);
  });

  it('portfolio-of-funder: the ministry’s programmes from the page and from IATI, with budgets and what it provided', async () => {
    const { portfolio } = await run<{ portfolio: Record<string, unknown>[] }>(
      'portfolio-of-funder',
    );
    const gaa = portfolio.find(
      (p) => (p.programme as { key: string }).key === 'NL-KVK-41198890-GAA',
    );
    expect(gaa).toEqual({
      programme: {
        key: 'NL-KVK-41198890-GAA',
        name: 'Girls Advocacy Alliance',
        startYear: 2016,
        endYear: 2020,
      },
      fund: null,
      leads: [{ name: 'Plan International Nederland' }],
      countries: [{ code: 'ET' }, { code: 'KE' }],
      budgets: [{ kind: 'BUDGET', currency: 'EUR', value: 100000 }],
      provided: [{ type: 'INCOMING_FUNDS', currency: 'USD', value: 50000, count: 1 }],
    });
    // The page's programmes of the same ministry are in it too, without money.
    expect(portfolio.length).toBeGreaterThan(1);
  });

  it('never adds up across currencies', async () => {
    const { body } = await gql<{
      moneyTotals: { type: string; currency: string; value: number; count: number }[];
    }>(server, '{ moneyTotals { type currency value count } }');
    expect(body.data?.moneyTotals).toEqual([
      { type: 'DISBURSEMENT', currency: 'EUR', value: 27500.5, count: 2 },
      { type: 'EXPENDITURE', currency: 'ETB', value: 150000, count: 1 },
      { type: 'INCOMING_FUNDS', currency: 'USD', value: 50000, count: 1 },
    ]);
  });

  it('partners and funding chains carry what was received and provided', async () => {
    const partners = await gql<{
      partners: {
        organisation: { key: string };
        programme: { key: string };
        received: unknown[];
      }[];
    }>(
      server,
      '{ partners(of: "Plan International Nederland", funderIatiType: "10") { organisation { key } programme { key } received { type currency value count } } }',
    );
    const tdh = partners.body.data?.partners.find(
      (p) =>
        p.programme.key === 'NL-KVK-41198890-GAA' &&
        p.organisation.key === 'terre-des-hommes-nederland',
    );
    expect(tdh?.received).toEqual([
      { type: 'DISBURSEMENT', currency: 'EUR', value: 20000, count: 1 },
    ]);
    const chains = await gql<{
      fundingChains: {
        funder: { key: string } | null;
        programme: { key: string };
        provided: unknown[];
        received: unknown[];
      }[];
    }>(
      server,
      '{ fundingChains(to: "NL-KVK-41198890") { funder { key } programme { key } provided { type currency value } received { type currency value } } }',
    );
    const chain = chains.body.data?.fundingChains.find(
      (c) => c.programme.key === 'NL-KVK-41198890-GAA',
    );
    expect(chain).toEqual({
      funder: { key: 'ministerie-buitenlandse-zaken' },
      programme: { key: 'NL-KVK-41198890-GAA' },
      provided: [{ type: 'INCOMING_FUNDS', currency: 'USD', value: 50000 }],
      received: [{ type: 'INCOMING_FUNDS', currency: 'USD', value: 50000 }],
    });
    const unknown = await gql(server, '{ partners(funderIatiType: "99") { role } }');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
