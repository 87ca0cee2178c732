/**
 * Every saved question in queries/ runs over real HTTP against the seeded Neo4j and gives
 * exactly the answer the page supports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSavedQueries, type SavedQuery } from '../../src/api/saved-queries.js';
import { gql, startTestServer, type TestServer } from '../support/server.js';

type Data = Record<string, unknown>;
const names = (list: { name: string }[]) => list.map((x) => x.name);
const codes = (list: { code: string }[]) => list.map((x) => x.code);

const BHOS = 'Ministerie van Buitenlandse Handel en Ontwikkelingssamenwerking';
const FOCUS = 'FOCUS on my needs – Working together for children in criminal proceedings';
const CPSS = 'Child protection systems strengthening for children in conflict with the law';

describe('saved questions', () => {
  let server: TestServer;
  const saved = new Map<string, SavedQuery>();
  beforeAll(async () => {
    server = await startTestServer();
    for (const q of loadSavedQueries()) saved.set(q.name, q);
  });
  afterAll(() => server.close());

  async function run(name: string, variables?: Record<string, unknown>): Promise<Data> {
    const q = saved.get(name);
    if (!q) throw new Error(`no saved query ${name}`);
    const { status, body } = await gql(server, q.document, variables ?? q.variables);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data as Data;
  }

  it('has the seventeen saved questions, each one named operation with its variables', () => {
    expect([...saved.keys()]).toEqual([
      'countries-of-programme',
      'country-profile',
      'disbursements-to-partners',
      'eu-funded-programmes',
      'funding-by-country',
      'funding-by-sector',
      'funding-chain',
      'home',
      'money-flows',
      'neighbourhood',
      'organisations-named-like',
      'partners-in-ethiopia-under-ministry-grant',
      'portfolio-of-funder',
      'programme-leads',
      'programmes-active-in-year',
      'programmes-by-funder',
      'search',
    ]);
  });

  it('organisations-named-like: "terre des" finds Terre des Hommes and its country offices, whatever the case', async () => {
    const data = (await run('organisations-named-like')) as { organisations: { name: string }[] };
    expect(names(data.organisations)).toEqual(
      expect.arrayContaining([
        'Terre des Hommes',
        'Terre des Hommes Albania',
        'Terre des Hommes Kosovo',
      ]),
    );
    const upper = (await run('organisations-named-like', { part: 'TERRE DES' })) as typeof data;
    expect(upper).toEqual(data);
    for (const { name } of data.organisations) expect(name.toLowerCase()).toContain('terre des');
  });

  it('partners-in-ethiopia-under-ministry-grant: Plan (lead), Terre des Hommes and the unnamed local partners, in the Girls Advocacy Alliance funded by the ministry', async () => {
    const data = (await run('partners-in-ethiopia-under-ministry-grant')) as {
      home: { name: string };
      partners: {
        organisation: { key: string; name: string; kind: string; named: boolean };
        role: string;
        programme: { key: string; name: string; startYear: number; endYear: number };
        funding: {
          funder: { key: string; name: string; kind: string };
          fund: null | { name: string };
        }[];
        evidence: { fact: string; quote: string }[];
      }[];
    };
    expect(data.home).toEqual({ name: 'Defence for Children' });
    expect(
      data.partners.map((p) => [
        p.organisation.name,
        p.organisation.kind,
        p.organisation.named,
        p.role,
      ]),
    ).toEqual([
      ['Plan International Nederland', 'NGO', true, 'LEAD'],
      ['Terre des Hommes', 'NGO', true, 'PARTNER'],
      [
        'lokale samenwerkingspartners (Girls Advocacy Alliance)',
        'UNNAMED_GROUP',
        false,
        'LOCAL_PARTNER',
      ],
    ]);
    for (const p of data.partners) {
      expect(p.programme).toEqual({
        key: 'girls-advocacy-alliance',
        name: 'Girls Advocacy Alliance',
        startYear: 2016,
        endYear: 2020,
      });
      expect(p.funding).toEqual([
        { funder: { key: 'ministerie-bhos', name: BHOS, kind: 'MINISTRY' }, fund: null },
      ]);
      expect(p.evidence.map((e) => e.fact)).toEqual([
        `${p.organisation.name} ${p.role} in Girls Advocacy Alliance`,
        'Defence for Children PARTNER in Girls Advocacy Alliance',
        `${BHOS} FUNDS Girls Advocacy Alliance`,
      ]);
    }
    expect(data.partners[1]?.evidence[1]?.quote).toBe(
      'werkt Defence for Children vanuit dit programma in vier landen: Sierra Leone, Liberia, Ghana en Ethiopië',
    );
  });

  it('partners: "ET", "Ethiopia", "Ethiopië" and "ethiopie" give the same answer', async () => {
    const answers = await Promise.all(
      ['ET', 'Ethiopia', 'Ethiopië', 'ethiopie'].map((country) =>
        run('partners-in-ethiopia-under-ministry-grant', { country, funderKind: 'MINISTRY' }),
      ),
    );
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it('programmes-by-funder: six funders, direct and through the funds they own, with countries', async () => {
    const data = (await run('programmes-by-funder')) as {
      organisations: {
        name: string;
        kind: string;
        finances: { name: string; type: string; countries: { code: string }[] }[];
        owns: { acronym: string; finances: { name: string; countries: { code: string }[] }[] }[];
      }[];
    };
    expect(
      data.organisations.map((o) => ({
        funder: `${o.name} (${o.kind})`,
        direct: o.finances.map((p) => `${p.name} [${codes(p.countries).join(' ')}]`),
        viaFunds: o.owns.map(
          (f) =>
            `${f.acronym}: ${f.finances.map((p) => `${p.name} [${codes(p.countries).join(' ')}]`).join('; ')}`,
        ),
      })),
    ).toEqual([
      {
        funder: 'Europese Unie (EU_BODY)',
        direct: ['Alert Actors Report [AT BE DE FR NL]', 'CAPISCE []'],
        viaFunds: ['AMIF: CAPISCE []', `JUST: ${FOCUS} []`, `REC: ${FOCUS} []`],
      },
      {
        funder: `${BHOS} (MINISTRY)`,
        direct: ['Down to Zero [BR DO ID IN PH TH]', 'Girls Advocacy Alliance [ET GH LR SL]'],
        viaFunds: [],
      },
      {
        funder: 'Ministerie van Buitenlandse Zaken (MINISTRY)',
        direct: [`${CPSS} [AL GE UA XK]`],
        viaFunds: ['FBK: Together for the protection of children in tourism [MX TH]'],
      },
      {
        funder: 'Ministerie van Justitie en Veiligheid (MINISTRY)',
        direct: ['Don’t look Away – Meldkindersekstoerisme [NL]'],
        viaFunds: [],
      },
      {
        funder: 'Ministerie van Sociale Zaken en Werkgelegenheid (MINISTRY)',
        direct: ['Speaking Minds []'],
        viaFunds: [],
      },
      {
        funder: 'Ministerie van Volksgezondheid, Welzijn en Sport (MINISTRY)',
        direct: ['Voorlichting over kinderrechten in Nederland [NL]'],
        viaFunds: [],
      },
    ]);
  });

  it('programme-leads: the penvoerder of each consortium programme, with its quote', async () => {
    const data = (await run('programme-leads')) as {
      programmes: {
        name: string;
        type: string;
        participantsConnection: {
          edges: { node: { key: string; name: string }; properties: { quote: string } }[];
        };
      }[];
    };
    expect(
      data.programmes.map((p) => [
        p.name,
        p.type,
        p.participantsConnection.edges.map((e) => [e.node.name, e.properties.quote]),
      ]),
    ).toEqual([
      [
        'Down to Zero',
        'PROGRAMME',
        [['Terre des Hommes', 'voeren we in samenwerking met Terre des Hommes (penvoerder)']],
      ],
      [FOCUS, 'PROGRAMME', [['Terre des hommes Hungary', 'Terre des hommes Hungary (penvoerder)']]],
      [
        'Girls Advocacy Alliance',
        'PROGRAMME',
        [
          [
            'Plan International Nederland',
            'een programma in samenwerking met Plan International Nederland (penvoerder) en Terre des Hommes in tien landen',
          ],
        ],
      ],
    ]);
  });

  it('eu-funded-programmes: directly or through an EU instrument, with the instrument', async () => {
    const data = (await run('eu-funded-programmes')) as {
      programmes: {
        name: string;
        type: string;
        startYear: number | null;
        endYear: number | null;
        funders: { name: string }[];
        fundsConnection: {
          edges: {
            node: { name: string; acronym: string; kind: string };
            properties: { coFinancing: boolean };
          }[];
        };
      }[];
    };
    expect(
      data.programmes.map((p) => ({
        programme: `${p.name} (${p.type}, ${p.startYear ?? '?'}–${p.endYear ?? '?'})`,
        funders: names(p.funders),
        instruments: p.fundsConnection.edges.map(
          (e) =>
            `${e.node.acronym} ${e.node.kind}${e.properties.coFinancing ? ' co-financing' : ''}`,
        ),
      })),
    ).toEqual([
      {
        programme: 'Alert Actors Report (PROJECT, 2018–2020)',
        funders: ['Europese Unie'],
        instruments: [],
      },
      {
        programme: 'CAPISCE (PROJECT, ?–?)',
        funders: ['Europese Unie'],
        instruments: ['AMIF FUND co-financing'],
      },
      {
        programme: `${FOCUS} (PROGRAMME, ?–?)`,
        funders: [],
        instruments: ['JUST INSTRUMENT', 'REC INSTRUMENT'],
      },
    ]);
  });

  it('countries-of-programme: the four countries named for the Girls Advocacy Alliance, of the ten it says', async () => {
    const data = (await run('countries-of-programme')) as {
      programmesNamed: {
        name: string;
        statedCountryCount: number;
        countriesConnection: {
          edges: { node: { code: string; nameEn: string; nameNl: string } }[];
        };
      }[];
    };
    expect(data.programmesNamed).toHaveLength(1);
    expect(data.programmesNamed[0]?.statedCountryCount).toBe(10);
    expect(data.programmesNamed[0]?.countriesConnection.edges.map((e) => e.node)).toEqual([
      { code: 'ET', nameEn: 'Ethiopia', nameNl: 'Ethiopië' },
      { code: 'GH', nameEn: 'Ghana', nameNl: 'Ghana' },
      { code: 'LR', nameEn: 'Liberia', nameNl: 'Liberia' },
      { code: 'SL', nameEn: 'Sierra Leone', nameNl: 'Sierra Leone' },
    ]);
    // By alias, in other capitals, and in other spellings too.
    const byAlias = (await run('countries-of-programme', { name: 'FOCUS on my needs' })) as {
      programmesNamed: { name: string }[];
    };
    expect(names(byAlias.programmesNamed)).toEqual([FOCUS]);
    const lower = (await run('countries-of-programme', { name: 'down to zero' })) as {
      programmesNamed: { countriesConnection: { edges: { node: { code: string } }[] } }[];
    };
    expect(lower.programmesNamed[0]?.countriesConnection.edges.map((e) => e.node.code)).toEqual([
      'BR',
      'DO',
      'ID',
      'IN',
      'PH',
      'TH',
    ]);
    const spelt = (await run('countries-of-programme', { name: '  Down-To-Zéro! ' })) as {
      programmesNamed: { name: string }[];
    };
    expect(names(spelt.programmesNamed)).toEqual(['Down to Zero']);
    // A name with no letter or digit is refused, not matched against everything.
    const refused = await gql(server, saved.get('countries-of-programme')?.document ?? '', {
      name: ' – ',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.message).toMatch(/no letter or digit/);
  });

  it('search: the Terre des Hommes organisations, the Dutch one first; accents and case do not matter', async () => {
    const data = (await run('search')) as {
      search: { type: string; key: string; name: string; score: number }[];
    };
    expect(data.search[0]?.name).toBe('Terre des Hommes');
    expect(data.search.map((h) => h.name).sort()).toEqual([
      'Terre des Hommes',
      'Terre des Hommes Albania',
      'Terre des Hommes Kosovo',
      'Terre des hommes Greece',
      'Terre des hommes Hungary',
      'Terre des hommes Romania',
    ]);
    expect(new Set(data.search.map((h) => h.type))).toEqual(new Set(['Organisation']));
    const scores = data.search.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const accents = (await run('search', { phrase: 'OEKRAINE ALL-UKRAINIAN' })) as {
      search: { name: string }[];
    };
    expect(accents.search[0]?.name).toBe('All-Ukrainian Foundation on Children’s Rights');
    const acronym = (await run('search', { phrase: 'amif' })) as {
      search: { type: string; name: string }[];
    };
    expect(acronym.search).toEqual([
      expect.objectContaining({ type: 'Fund', name: 'Asylum, Migration and Integration Fund' }),
    ]);
  });

  it('programmes-active-in-year: 2019 — the programmes whose stated period includes it', async () => {
    const data = (await run('programmes-active-in-year')) as {
      programmes: { name: string; startYear: number; endYear: number }[];
    };
    expect(data.programmes.map((p) => [p.name, p.startYear, p.endYear])).toEqual([
      ['Alert Actors Report', 2018, 2020],
      ['Down to Zero', 2016, 2020],
      ['Girls Advocacy Alliance', 2016, 2020],
    ]);
    const y2017 = (await run('programmes-active-in-year', { year: 2017 })) as {
      programmes: { name: string }[];
    };
    expect(names(y2017.programmes)).toEqual(['Down to Zero', 'Girls Advocacy Alliance']);
    const y2021 = (await run('programmes-active-in-year', { year: 2021 })) as {
      programmes: unknown[];
    };
    expect(y2021.programmes).toEqual([]);
    // The generated filter and the programmesActiveIn field agree, year by year.
    for (let year = 2000; year <= 2026; year++) {
      const generated = (await run('programmes-active-in-year', { year })) as {
        programmes: { key: string }[];
      };
      const field = await gql<{ programmesActiveIn: { key: string }[] }>(
        server,
        'query Y($year: Int!) { programmesActiveIn(year: $year) { key } }',
        { year },
      );
      expect(field.body.data?.programmesActiveIn, String(year)).toEqual(
        generated.programmes.map((p) => ({ key: p.key })),
      );
    }
  });

  it('funding-chain: every funder → (fund, manager) → programme (lead) → us', async () => {
    const data = (await run('funding-chain')) as {
      fundingChains: {
        funder: { name: string; kind: string };
        fund: { name: string; acronym: string } | null;
        managers: { name: string }[];
        programme: { name: string };
        leads: { name: string }[];
        recipient: { name: string };
        recipientRole: string;
        partners: { name: string }[];
        countries: { code: string }[];
      }[];
    };
    expect(new Set(data.fundingChains.map((c) => c.recipient.name))).toEqual(
      new Set(['Defence for Children']),
    );
    expect(
      data.fundingChains.map((c) =>
        [
          c.funder.name,
          c.fund
            ? `${c.fund.acronym} (managed by ${names(c.managers).join(', ') || 'owner'})`
            : 'direct',
          c.programme.name,
          `lead: ${names(c.leads).join(', ') || '-'}`,
          `we: ${c.recipientRole}`,
          `partners: ${c.partners.length}`,
          codes(c.countries).join(' '),
        ].join(' | '),
      ),
    ).toEqual([
      'Europese Unie | direct | Alert Actors Report | lead: - | we: IMPLEMENTING | partners: 1 | AT BE DE FR NL',
      'Europese Unie | direct | CAPISCE | lead: - | we: IMPLEMENTING | partners: 0 | ',
      'Europese Unie | AMIF (managed by owner) | CAPISCE | lead: - | we: IMPLEMENTING | partners: 0 | ',
      `Europese Unie | JUST (managed by owner) | ${FOCUS} | lead: Terre des hommes Hungary | we: PARTNER | partners: 7 | `,
      `Europese Unie | REC (managed by owner) | ${FOCUS} | lead: Terre des hommes Hungary | we: PARTNER | partners: 7 | `,
      `${BHOS} | direct | Down to Zero | lead: Terre des Hommes | we: PARTNER | partners: 5 | BR DO ID IN PH TH`,
      `${BHOS} | direct | Girls Advocacy Alliance | lead: Plan International Nederland | we: PARTNER | partners: 3 | ET GH LR SL`,
      `Ministerie van Buitenlandse Zaken | direct | ${CPSS} | lead: - | we: IMPLEMENTING | partners: 5 | AL GE UA XK`,
      'Ministerie van Buitenlandse Zaken | FBK (managed by Rijksdienst voor Ondernemend Nederland) | Together for the protection of children in tourism | lead: - | we: IMPLEMENTING | partners: 2 | MX TH',
      'Ministerie van Justitie en Veiligheid | direct | Don’t look Away – Meldkindersekstoerisme | lead: - | we: PARTNER | partners: 8 | NL',
      'Ministerie van Sociale Zaken en Werkgelegenheid | direct | Speaking Minds | lead: - | we: IMPLEMENTING | partners: 2 | ',
      'Ministerie van Volksgezondheid, Welzijn en Sport | direct | Voorlichting over kinderrechten in Nederland | lead: - | we: IMPLEMENTING | partners: 1 | NL',
    ]);
    const ecpat = data.fundingChains.find((c) => c.fund?.acronym === 'FBK');
    expect(names(ecpat?.partners ?? [])).toEqual(['ECPAT International', 'ECPAT Mexico']);
  });

  it('home: us, where the explorer starts', async () => {
    const data = (await run('home')) as { home: { key: string; name: string; kind: string } };
    expect(data.home).toEqual({
      key: 'defence-for-children',
      name: 'Defence for Children',
      kind: 'NGO',
    });
  });

  it('money-flows: the ministry’s funding relations, direct and through FBK, without amounts (the page gives none)', async () => {
    const data = (await run('money-flows')) as {
      moneyFlows: {
        from: { column: string; name: string };
        to: { column: string; name: string };
        value: number | null;
        currency: string | null;
        sources: string[];
      }[];
    };
    const links = data.moneyFlows;
    expect(links.every((l) => l.value === null && l.currency === null)).toBe(true);
    expect(links.every((l) => l.sources.includes('institutionele-donoren'))).toBe(true);
    const step = (l: (typeof links)[number]) =>
      `${l.from.column} ${l.from.name} → ${l.to.column} ${l.to.name}`;
    const ministry = 'Ministerie van Buitenlandse Zaken';
    const heads = links.filter((l) => l.from.column !== 'PROGRAMME').map(step);
    expect(heads).toHaveLength(3);
    expect(heads).toContain(`FUNDER ${ministry} → PROGRAMME ${CPSS}`);
    const viaFund = heads.find((h) => h.startsWith(`FUNDER ${ministry} → FUND`));
    const fund = viaFund?.split(' → FUND ')[1];
    expect(heads).toContain(
      `FUND ${fund} → PROGRAMME Together for the protection of children in tourism`,
    );
    const recipients = (programme: string) =>
      links.filter((l) => l.from.name === programme).map((l) => l.to.name);
    expect(recipients('Together for the protection of children in tourism')).toEqual(
      expect.arrayContaining(['ECPAT International', 'ECPAT Mexico', 'Defence for Children']),
    );
    expect(recipients(CPSS)).toContain('Defence for Children');
    expect(recipients(CPSS)).toHaveLength(6);
  });
});
