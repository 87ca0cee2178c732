/**
 * Questions as analysts type them (the seed page, through the API): a partial name answers when
 * it means one node, and a name that finds nothing — or several — is a 400 with the closest
 * names, never a silent `[]`. Search puts named organisations and programmes before unnamed
 * groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, startTestServer, type TestServer } from '../support/server.js';

const CHILD_PROTECTION =
  'Child protection systems strengthening for children in conflict with the law';

describe('names as analysts type them', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const names = async (field: string, name: string) => {
    const { status, body } = await gql<Record<string, { name: string }[]>>(
      server,
      `query ($name: AnyName!) { found: ${field}(name: $name) { name } }`,
      { name },
    );
    return { status, body, names: body.data?.found?.map((x) => x.name) };
  };

  it('answers with the one programme whose name starts with, or holds all, the words typed', async () => {
    for (const typed of [
      'child protection systems',
      'Child protection systems strengthening',
      'CHILD-PROTECTION',
      // Not the start: every word, in any order.
      'conflict with the law systems protection',
    ]) {
      const { status, names: found } = await names('programmesNamed', typed);
      expect({ typed, status, found }).toEqual({ typed, status: 200, found: [CHILD_PROTECTION] });
    }
    // Exact names still come first: "Terre des Hommes" is that organisation, not its offices.
    expect((await names('organisationsNamed', 'terre des hommes')).names).toEqual([
      'Terre des Hommes',
    ]);
    expect((await names('fundsNamed', 'fonds bestrijding')).names).toEqual([
      'Fonds Bestrijding Kinderarbeid',
    ]);
  });

  it('says "did you mean" with the closest names for a misspelt name, as a 400', async () => {
    const { status, body } = await names('programmesNamed', 'child protectoin sytems');
    expect(status).toBe(400);
    const [error] = body.errors ?? [];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toMatch(
      /^No programme is named "child protectoin sytems"\. Did you mean "/,
    );
    expect(error?.extensions?.suggestions).toContain(CHILD_PROTECTION);
  });

  it('lists the candidates when a partial name means several', async () => {
    const { status, body } = await names('organisationsNamed', 'terre des');
    expect(status).toBe(400);
    const suggestions = body.errors?.[0]?.extensions?.suggestions as string[];
    expect(suggestions).toEqual(
      expect.arrayContaining([
        'Terre des Hommes',
        'Terre des Hommes Albania',
        'Terre des Hommes Kosovo',
      ]),
    );
  });

  it('takes a partial organisation name in the analyst arguments, and suggests for a misspelt one', async () => {
    const partial = await gql<{ partners: { organisation: { name: string } }[] }>(
      server,
      '{ partners(of: "Terre des Hommes Alb") { organisation { name } } }',
    );
    expect(partial.status).toBe(200);
    const full = await gql<{ partners: { organisation: { name: string } }[] }>(
      server,
      '{ partners(of: "Terre des Hommes Albania") { organisation { name } } }',
    );
    expect(partial.body.data?.partners).toEqual(full.body.data?.partners);
    expect(full.body.data?.partners.length).toBeGreaterThan(0);

    const misspelt = await gql(server, '{ partners(of: "Terre des Homes Albania") { role } }');
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.errors?.[0]?.message).toMatch(
      /^No organisation is named "Terre des Homes Albania"\. Did you mean "Terre des Hommes Albania"/,
    );
  });

  it('countryProfile says which participants work in the country asked about', async () => {
    const { body } = await gql<{
      countryProfile: {
        programmes: {
          programme: { name: string };
          participation: {
            organisation: { name: string };
            here: boolean | null;
            countries: { code: string }[];
          }[];
        }[];
      };
    }>(
      server,
      `{ countryProfile(country: "Thailand") { programmes { programme { name }
           participation { organisation { name } here countries { code } } } } }`,
    );
    const tourism = body.data?.countryProfile.programmes.find((p) =>
      p.programme.name.startsWith('Together for the protection of children in tourism'),
    );
    const seen = Object.fromEntries(
      (tourism?.participation ?? []).map((p) => [
        p.organisation.name,
        { here: p.here, countries: p.countries.map((c) => c.code) },
      ]),
    );
    expect(seen['ECPAT Mexico']).toEqual({ here: false, countries: ['MX'] });
    expect(seen['ECPAT International']).toEqual({ here: true, countries: ['TH'] });
  });

  it('takes a country in any spelling in the generated filters too, and refuses one that is no country', async () => {
    const programmesIn = async (country: string) => {
      const { status, body } = await gql<{ programmes: { name: string }[] }>(
        server,
        'query ($c: CountryCode!) { programmes(where: { countries: { some: { code: { eq: $c } } } }, sort: [{ name: ASC }]) { name } }',
        { c: country },
      );
      expect(status).toBe(200);
      return body.data?.programmes.map((p) => p.name);
    };
    const byCode = await programmesIn('ET');
    expect(byCode?.length).toBeGreaterThan(0);
    for (const spelling of ['Ethiopia', 'Ethiopië', 'ethiopie']) {
      expect(await programmesIn(spelling)).toEqual(byCode);
    }
    // In a literal and a list as well; the answer gives the code.
    const literal = await gql<{ countries: { code: string }[] }>(
      server,
      '{ countries(where: { code: { in: ["Ethiopië", "Filipijnen"] } }, sort: [{ code: ASC }]) { code } }',
    );
    expect(literal.body.data?.countries).toEqual([{ code: 'ET' }, { code: 'PH' }]);
    const misspelt = await gql(server, '{ partners(country: "Ethopia") { role } }');
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.errors?.[0]?.message).toMatch(
      /^Unknown country "Ethopia": .* Did you mean "Ethiopia" \(ET\)/,
    );
    expect(misspelt.body.errors?.[0]?.extensions?.suggestions).toContain('Ethiopia');
    const congo = await gql(server, '{ countries(where: { code: { eq: "Congo" } }) { code } }');
    expect(congo.status).toBe(400);
    expect(congo.body.errors?.[0]?.message).toMatch(/"Congo" may mean CD or CG: give the ISO code/);
  });

  it("names a source's publisher, not only its key", async () => {
    const { body } = await gql<{
      home: { key: string; name: string };
      sources: { publisher: string; publishedBy: { key: string; name: string } | null }[];
    }>(server, '{ home { key name } sources { publisher publishedBy { key name } } }');
    const [page] = body.data?.sources ?? [];
    expect(page?.publishedBy).toEqual(body.data?.home);
    expect(page?.publishedBy?.key).toBe(page?.publisher);
  });

  it('ranks the programme above the unnamed group that mentions it', async () => {
    const { body } = await gql<{ search: { type: string; name: string }[] }>(
      server,
      '{ search(phrase: "child protection systems strengthening") { type name } }',
    );
    expect(body.data?.search[0]).toEqual({ type: 'Programme', name: CHILD_PROTECTION });
  });
});
