/**
 * Who "we" are is explicit and stable: the publisher of the first source imported into the empty
 * graph (the seed page) stays home whatever is imported later, HOME_ORGANISATION overrides it,
 * home follows a merge that absorbs its node, and a home that is gone stops the start-up with a
 * message that names the setting — never an empty answer.
 */
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { StartupError } from '../../src/errors/expected.js';
import { importIati, sourceKeyOf } from '../../src/ingest/iati/import-iati.js';
import { HEADLINE_QUESTION, loadSavedQueries } from '../../src/api/saved-queries.js';
import { mergeOrganisations } from '../../src/store/merge-organisations.js';
import { gql, startTestServer, type TestServer } from '../support/server.js';
import { database, testDriver } from '../support/neo4j.js';

const FIXTURES = path.join(projectRoot, 'test/fixtures/iati/home');
const MINISTRY = path.join(FIXTURES, 'ministry-xm-dac-7.xml');
const NGO_FIRST = path.join(FIXTURES, 'a-ngo-first.xml');

const headline = loadSavedQueries().find((q) => q.name === HEADLINE_QUESTION);
if (!headline) throw new Error(`invariant: queries/${HEADLINE_QUESTION}.graphql is missing`);

const HOME = `{ home { key name } homeChoice { organisation { key name } reason source mergedFrom } }`;

interface HomeAnswer {
  home: { key: string; name: string } | null;
  homeChoice: {
    organisation: { key: string; name: string };
    reason: string;
    source: string | null;
    mergedFrom: string | null;
  } | null;
}

interface PartnerNames {
  partners: { organisation: { name: string }; programme: { key: string } }[] | null;
}

async function ask(server: TestServer) {
  const home = await gql<HomeAnswer>(server, HOME);
  const answer = await gql<PartnerNames>(server, headline!.document, headline!.variables);
  expect(answer.status).toBe(200);
  return {
    home: home.body.data,
    partners: (answer.body.data?.partners ?? [])
      .map((p) => `${p.organisation.name} in ${p.programme.key}`)
      .sort(),
  };
}

describe('the home organisation', () => {
  let driver: Driver;
  let before: Awaited<ReturnType<typeof ask>>;
  beforeAll(async () => {
    driver = testDriver();
    // A fresh clone: the seed page is the first source in the empty graph.
    const server = await startTestServer();
    try {
      before = await ask(server);
    } finally {
      await server.close();
    }
  });
  afterAll(() => driver.close());

  it('is the seed page’s publisher, recorded when the page was imported into the empty graph', () => {
    expect(before.home).toEqual({
      home: { key: 'defence-for-children', name: 'Defence for Children' },
      homeChoice: {
        organisation: { key: 'defence-for-children', name: 'Defence for Children' },
        reason: 'FIRST_SOURCE_IMPORTED',
        source: 'institutionele-donoren',
        mergedFrom: null,
      },
    });
    const partners = before.partners.map((p) => p.split(' in ')[0]);
    expect(partners).toEqual(
      expect.arrayContaining(['Plan International Nederland', 'Terre des Hommes']),
    );
  });

  it('stays home after importing a ministry’s file and an NGO file whose sources sort first', async () => {
    const summary = await importIati(driver, database(), [MINISTRY, NGO_FIRST]);
    // The old rule — the publisher of the source whose key sorts first — would now pick these.
    expect(summary.sources).toEqual([sourceKeyOf('ministry-xm-dac-7.xml'), 'iati-a-ngo-first']);
    expect(summary.sources.every((s) => s < 'institutionele-donoren')).toBe(true);
    const server = await startTestServer({ reseed: false });
    try {
      expect(await ask(server)).toEqual(before);
    } finally {
      await server.close();
    }
  });

  it('is the configured organisation when HOME_ORGANISATION names one', async () => {
    const server = await startTestServer({
      reseed: false,
      overrides: { HOME_ORGANISATION: 'ministerie-buitenlandse-zaken' },
    });
    try {
      const { home } = await ask(server);
      expect(home?.homeChoice).toEqual({
        organisation: {
          key: 'ministerie-buitenlandse-zaken',
          name: 'Ministerie van Buitenlandse Zaken',
        },
        reason: 'CONFIGURED',
        source: null,
        mergedFrom: null,
      });
    } finally {
      await server.close();
    }
    // Configuration chooses for as long as it is set; the recorded home is unchanged.
    const again = await startTestServer({ reseed: false });
    try {
      expect((await ask(again)).home).toEqual(before.home);
    } finally {
      await again.close();
    }
  });

  it('follows a merge that absorbs its node', async () => {
    // Entity resolution finds that the page's Defence for Children and the IATI identity
    // NL-KVK-41208814 are one organisation, and keeps the IATI node.
    await mergeOrganisations(
      driver,
      database(),
      'defence-for-children',
      'nl-kvk-41208814',
      'test: same organisation',
    );
    const server = await startTestServer({ reseed: false });
    try {
      const after = await ask(server);
      expect(after.home?.homeChoice).toEqual({
        organisation: {
          key: 'nl-kvk-41208814',
          name: 'Defence for Children International - Nederland',
        },
        reason: 'FIRST_SOURCE_IMPORTED',
        source: 'institutionele-donoren',
        mergedFrom: 'defence-for-children',
      });
      // The survivor took every fact of the absorbed node: the headline answers as before.
      expect(after.partners).toEqual(before.partners);
    } finally {
      await server.close();
    }
  });

  it('refuses to start, naming HOME_ORGANISATION, when home is gone', async () => {
    await driver.executeQuery(
      "MATCH (o:Organisation {key: 'nl-kvk-41208814'}) DETACH DELETE o",
      {},
      { database: database() },
    );
    const failed = await startTestServer({ reseed: false }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(StartupError);
    expect((failed as Error).message).toMatch(
      /"defence-for-children" \(the publisher of institutionele-donoren\), is no longer in the graph: set HOME_ORGANISATION/,
    );
  });

  it('in a graph imported before home was recorded: one publisher is home, several are a start-up error', async () => {
    const server = await startTestServer();
    await server.close();
    await driver.executeQuery('MATCH (h:Setting) DELETE h', {}, { database: database() });
    const reopened = await startTestServer({ reseed: false });
    try {
      expect((await ask(reopened)).home).toEqual(before.home);
    } finally {
      await reopened.close();
    }
    await importIati(driver, database(), [MINISTRY]);
    await driver.executeQuery('MATCH (h:Setting) DELETE h', {}, { database: database() });
    const failed = await startTestServer({ reseed: false }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failed as Error).message).toMatch(
      /no home organisation is recorded.*2 publishers \(defence-for-children, ministerie-buitenlandse-zaken\): set HOME_ORGANISATION/i,
    );
  });
});
