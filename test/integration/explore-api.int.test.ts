/**
 * The analyst fields behind the explorer and the country view, and the rough edges analysts
 * met: neighbourhoods with provenance, a country's profile, "who works with us in more than one
 * programme", "where does X work", richer programme references, lookups that answer null, and
 * fields that fail alone. Against the seeded page on the real Neo4j.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, startTestServer, type TestServer } from '../support/server.js';

interface Node {
  id: string;
  type: string;
  key: string;
  name: string;
  kind: string | null;
}
interface Edge {
  id: string;
  type: string;
  role: string | null;
  from: Node;
  to: Node;
  quote: string | null;
  source: string | null;
  basis: string | null;
}

describe('explorer and country view fields', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const EDGE =
    '{ id type role from { id type key name kind } to { id type key name kind } quote source basis }';

  it('neighbourhood: a programme with its countries, its lead, its partners and funders, each with its quote', async () => {
    const { status, body } = await gql(
      server,
      `{ neighbourhood(type: PROGRAMME, key: "down-to-zero") ${EDGE} }`,
    );
    expect(status).toBe(200);
    const edges = (body.data as { neighbourhood: Edge[] }).neighbourhood;
    const countries = edges
      .filter((e) => e.type === 'RUNS_IN' && e.to.type === 'COUNTRY')
      .map((e) => e.to.key)
      .sort();
    expect(countries).toEqual(['BR', 'DO', 'ID', 'IN', 'PH', 'TH']);
    const leads = edges.filter((e) => e.type === 'PARTICIPATES_IN' && e.role === 'LEAD');
    expect(leads.map((e) => e.from.name)).toEqual(['Terre des Hommes']);
    for (const e of edges) {
      // Every edge touches the programme, names both ends, and says where it comes from.
      expect([e.from.id, e.to.id]).toContain('PROGRAMME:down-to-zero');
      expect(e.quote?.length).toBeGreaterThan(10);
      expect(e.source).toBe('institutionele-donoren');
      expect(['STATED', 'IMPLIED']).toContain(e.basis);
    }
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });

  it('neighbourhood: a country by name, and a key that names nothing is a 404 that says so', async () => {
    const { body } = await gql(server, `{ neighbourhood(type: COUNTRY, key: "Ethiopië") ${EDGE} }`);
    const edges = (body.data as { neighbourhood: Edge[] }).neighbourhood;
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.every((e) => e.to.id === 'COUNTRY:ET')).toBe(true);

    const missing = await gql(server, `{ neighbourhood(type: FUND, key: "no-such-fund") { id } }`);
    expect(missing.status).toBe(404);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(missing.body.errors?.[0]?.message).toContain('no-such-fund');
  });

  it('the Kinderrechtencollectief takes part in the programme the ministry funds for its work, with the quote', async () => {
    const { body } = await gql(
      server,
      `{ neighbourhood(type: ORGANISATION, key: "kinderrechtencollectief") ${EDGE} }`,
    );
    const edges = (body.data as { neighbourhood: Edge[] }).neighbourhood;
    const part = edges.find((e) => e.type === 'PARTICIPATES_IN');
    expect(part?.to.key).toBe('voorlichting-kinderrechten');
    expect(part?.quote).toContain('als lid en secretariaat van het Kinderrechtencollectief');
  });

  it('funding routes say when they are one grant: the EU pays CAPISCE directly and through AMIF, which it owns', async () => {
    const { body } = await gql(
      server,
      '{ fundingChains { funder { key } fund { acronym } programme { key } sameGrant } }',
    );
    const chains = (
      body.data as {
        fundingChains: {
          funder: { key: string } | null;
          fund: { acronym: string | null } | null;
          programme: { key: string };
          sameGrant: boolean;
        }[];
      }
    ).fundingChains;
    const capisce = chains.filter((c) => c.programme.key === 'capisce');
    expect(capisce.map((c) => [c.funder?.key, c.fund?.acronym ?? null, c.sameGrant])).toEqual([
      ['european-union', null, true],
      ['european-union', 'AMIF', true],
    ]);
    // A funder that pays one way only is not marked.
    const single = chains.filter((c) => c.programme.key !== 'capisce');
    expect(single.length).toBeGreaterThan(0);
    expect(single.every((c) => !c.sameGrant)).toBe(true);
  });

  it('countryProfile: Ethiopia’s programmes with funders and participants (leads first), and its funders', async () => {
    const { status, body } = await gql(
      server,
      `{ countryProfile(country: "ethiopia") {
          country { code nameEn nameNl }
          programmes { programme { name } funders { name } participants { name } }
          funders { funder { name } programmes }
          money { value } } }`,
    );
    expect(status).toBe(200);
    const profile = (
      body.data as {
        countryProfile: {
          country: { code: string };
          programmes: {
            programme: { name: string };
            funders: { name: string }[];
            participants: { name: string }[];
          }[];
          funders: { funder: { name: string }; programmes: number }[];
          money: unknown[];
        };
      }
    ).countryProfile;
    expect(profile.country.code).toBe('ET');
    const gaa = profile.programmes.find((p) => p.programme.name === 'Girls Advocacy Alliance');
    expect(gaa?.funders.map((f) => f.name)).toEqual([
      'Ministerie van Buitenlandse Handel en Ontwikkelingssamenwerking',
    ]);
    expect(gaa?.participants[0]?.name).toBe('Plan International Nederland');
    expect(profile.funders.every((f) => f.programmes >= 1)).toBe(true);
    expect(profile.funders.map((f) => f.funder.name)).toContain(
      'Ministerie van Buitenlandse Handel en Ontwikkelingssamenwerking',
    );
    // The page states no amounts.
    expect(profile.money).toEqual([]);
  });

  it('sharedPartners and workPlaces answer "more than one programme" and "where does X work" in one request', async () => {
    const { status, body } = await gql(
      server,
      `{ sharedPartners { organisation { name } programmes { name } }
         workPlaces(of: "Terre des Hommes") { country { code } programmes { name } stated } }`,
    );
    expect(status).toBe(200);
    const data = body.data as {
      sharedPartners: { organisation: { name: string }; programmes: { name: string }[] }[];
      workPlaces: { country: { code: string }; programmes: { name: string }[]; stated: boolean }[];
    };
    expect(data.sharedPartners.length).toBeGreaterThan(0);
    for (const s of data.sharedPartners) expect(s.programmes.length).toBeGreaterThanOrEqual(2);
    const codes = data.workPlaces.map((w) => w.country.code);
    expect(codes).toEqual([...codes].sort());
    // Terre des Hommes leads Down to Zero: its countries are among Terre des Hommes' places.
    for (const code of ['BR', 'DO', 'ID', 'IN', 'PH', 'TH']) expect(codes).toContain(code);
    const ph = data.workPlaces.find((w) => w.country.code === 'PH');
    expect(ph?.programmes.map((p) => p.name)).toContain('Down to Zero');
  });

  it('places are tied to the partner who works there: Phuket to ECPAT International, Cancun to ECPAT Mexico', async () => {
    const { body } = await gql(
      server,
      `{ th: partners(country: "TH") { organisation { name } places { key name } }
         mx: partners(country: "MX") { organisation { name } places { key name } } }`,
    );
    const data = body.data as Record<
      string,
      { organisation: { name: string }; places: { name: string }[] }[]
    >;
    const placesOf = (
      list: { organisation: { name: string }; places: { name: string }[] }[] | undefined,
      name: string,
    ) => list?.find((p) => p.organisation.name === name)?.places.map((p) => p.name);
    expect(placesOf(data.th, 'ECPAT International')).toEqual(['Phuket']);
    expect(placesOf(data.mx, 'ECPAT Mexico')).toEqual(['Cancun']);
    expect(data.th?.map((p) => p.organisation.name)).not.toContain('ECPAT Mexico');

    // The generated connections give the same places and countries as objects, not keys.
    const generated = await gql<{
      programmes: {
        participantsConnection: {
          edges: {
            node: { name: string };
            properties: {
              places: string[];
              atPlaces: { key: string; name: string }[];
              inCountries: { code: string; nameEn: string }[];
            };
          }[];
        };
      }[];
    }>(
      server,
      `{ programmes(where: { name: { caseInsensitive: { contains: "children in tourism" } } }) {
           participantsConnection(sort: [{ node: { name: ASC } }]) { edges { node { name }
             properties { places atPlaces { key name } inCountries { code nameEn } } } } } }`,
    );
    const edges = generated.body.data?.programmes[0]?.participantsConnection.edges ?? [];
    const mexico = edges.find((e) => e.node.name === 'ECPAT Mexico')?.properties;
    expect(mexico?.atPlaces).toEqual([{ key: mexico?.places[0], name: 'Cancun' }]);
    expect(mexico?.inCountries).toEqual([{ code: 'MX', nameEn: 'Mexico' }]);
    expect(
      edges
        .find((e) => e.node.name === 'ECPAT International')
        ?.properties.atPlaces.map((p) => p.name),
    ).toEqual(['Phuket']);
  });

  it('programme references carry description, start month and duration', async () => {
    const { body } = await gql(
      server,
      '{ programmesInCountry(country: "PH") { name description startMonth duration } }',
    );
    const rows = (
      body.data as {
        programmesInCountry: {
          name: string;
          description: string | null;
          duration: string | null;
        }[];
      }
    ).programmesInCountry;
    const dtz = rows.find((r) => r.name === 'Down to Zero');
    expect(dtz?.description).toContain('sexual exploitation');
    expect(dtz?.duration).toBe('5 years');
  });

  it('names stored with typographic quotes are found as analysts type them', async () => {
    const { body } = await gql(
      server,
      `{ s: search(phrase: "don't look away") { name }
         n: programmesNamed(name: "DON'T LOOK AWAY - meldkindersekstoerisme") { name } }`,
    );
    const data = body.data as Record<string, { name: string }[]>;
    expect(data.s?.[0]?.name).toBe('Don’t look Away – Meldkindersekstoerisme');
    expect(data.n?.map((p) => p.name)).toEqual(['Don’t look Away – Meldkindersekstoerisme']);
  });

  it('isHome lets the generated filters mean "us" without looking up our key', async () => {
    const { status, body } = await gql(
      server,
      `{ programmes(where: { participants: { some: { isHome: { eq: true } } } }, sort: [{ name: ASC }]) { key }
         home { isHome participatesIn(sort: [{ name: ASC }]) { key } } }`,
    );
    expect(status).toBe(200);
    const data = body.data as {
      programmes: { key: string }[];
      home: { isHome: boolean; participatesIn: { key: string }[] };
    };
    expect(data.home.isHome).toBe(true);
    expect(data.programmes.length).toBeGreaterThan(3);
    expect(data.programmes).toEqual(data.home.participatesIn);
    const others = await gql(
      server,
      '{ organisations(where: { isHome: { eq: false } }, limit: 3) { isHome } }',
    );
    const list = (others.body.data as { organisations: { isHome: boolean }[] }).organisations;
    expect(list).toHaveLength(3);
    expect(list.every((o) => !o.isHome)).toBe(true);
  });

  it('a lookup that finds nothing is null; one failing field leaves the others answered', async () => {
    const atlantis = await gql(server, '{ country(name: "Atlantis") { code } }');
    expect(atlantis.status).toBe(200);
    expect(atlantis.body.errors).toBeUndefined();
    expect(atlantis.body.data).toEqual({ country: null });

    const mixed = await gql(
      server,
      '{ country(name: "Thailand") { code } programmesInCountry(country: "Thai") { name } }',
    );
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(mixed.body.errors?.[0]?.path).toEqual(['programmesInCountry']);
    expect(mixed.body.data).toEqual({ country: { code: 'TH' }, programmesInCountry: null });
  });
});
