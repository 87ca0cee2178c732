import { describe, expect, it } from 'vitest';
import { acronymOf, nameKey, OrganisationResolver } from './organisations.js';

const at = (n: number) => `file.xml:${n} participating-org[1]`;

describe('OrganisationResolver', () => {
  const page = [
    {
      key: 'plan-international-nederland',
      iatiRef: null,
      name: 'Plan International Nederland',
      names: [],
    },
    {
      key: 'terre-des-hommes-nederland',
      iatiRef: null,
      name: 'Terre des Hommes Nederland',
      names: ['TdH NL'],
    },
  ];

  it('joins the page organisation and its IATI ref by name, and keeps the ref from then on', () => {
    const r = new OrganisationResolver(page);
    const key = r.resolve({
      ref: 'NL-KVK-41198890',
      names: ['Plan International Nederland'],
      where: at(3),
    });
    expect(key).toBe('plan-international-nederland');
    // The ref alone, with stray spaces and another case, now finds it too.
    expect(r.resolve({ ref: ' nl-kvk-41198890 ', names: ['PLAN NL'], where: at(9) })).toBe(key);
    expect(r.merges.map((m) => [m.joined, m.reason])).toEqual([['PLAN NL', 'same IATI ref']]);
  });

  it('joins spelling variants: case, accents, punctuation, hyphens, spacing and legal forms', () => {
    const r = new OrganisationResolver([]);
    const pax = r.resolve({ names: ['PAX PRESS'], where: at(1) });
    expect(r.resolve({ names: ['Pax  Press'], where: at(2) })).toBe(pax);
    expect(r.resolve({ names: ['Pax-Press'], where: at(3) })).toBe(pax);
    const tdh = r.resolve({ names: ['Stichting Terre des Hommes'], where: at(4) });
    expect(r.resolve({ names: ['Terre des Hommes'], where: at(5) })).toBe(tdh);
    const vzw = r.resolve({ names: ['Vredeseilanden vzw'], where: at(6) });
    expect(r.resolve({ names: ['Vredeseilanden'], where: at(7) })).toBe(vzw);
    expect(r.resolve({ names: ['Côte d’Ivoire Santé e.V.'], where: at(8) })).toBe(
      r.resolve({ names: ["COTE D'IVOIRE SANTE"], where: at(9) }),
    );
    expect(r.merges.every((m) => m.reason === 'same name')).toBe(true);
  });

  it('joins an acronym to the full name that carries it in parentheses, both ways', () => {
    const r = new OrganisationResolver([]);
    const full = r.resolve({ names: ['Rwanda Women Network (RWN)'], where: at(1) });
    expect(r.resolve({ names: ['RWN'], where: at(2) })).toBe(full);
    const short = r.resolve({ names: ['ACORD'], where: at(3) });
    expect(
      r.resolve({
        names: ['Agency for Cooperation and Research in Development (ACORD)'],
        where: at(4),
      }),
    ).toBe(short);
    expect(r.merges.filter((m) => m.reason === 'acronym')).toHaveLength(2);
  });

  it('keeps apart: similar names, equal names with different refs, and an acronym two organisations carry', () => {
    const r = new OrganisationResolver(page);
    expect(r.resolve({ names: ['Plan International'], where: at(1) })).not.toBe(
      'plan-international-nederland',
    );
    const a = r.resolve({
      ref: 'XM-DAC-2-10',
      names: ['Ministry of Foreign Affairs'],
      where: at(2),
    });
    const b = r.resolve({ ref: 'XM-DAC-7', names: ['Ministry of Foreign Affairs'], where: at(3) });
    expect(a).not.toBe(b);
    r.resolve({ names: ['Save the Children Sweden (SCS)'], where: at(4) });
    r.resolve({ names: ['Swedish Cooperative Society (SCS)'], where: at(5) });
    const scs = r.resolve({ names: ['SCS'], where: at(6) });
    expect(scs).toBe('org-scs');
    expect(r.resolve({ names: ['Terre des Hommes Nederland Foundation'], where: at(7) })).not.toBe(
      'terre-des-hommes-nederland',
    );
  });

  it('gives new organisations stable keys: from the ref, else from the name', () => {
    const r = new OrganisationResolver([]);
    expect(r.resolve({ ref: 'NL-KVK-12345678', names: ['X'], where: at(1) })).toBe(
      'nl-kvk-12345678',
    );
    expect(r.resolve({ names: ['Ärzte ohne Grenzen'], where: at(2) })).toBe(
      'org-arzte-ohne-grenzen',
    );
  });
});

describe('keep-apart pairs', () => {
  it('undo a join by name, by ref or by acronym, and nothing else', () => {
    const page = [
      { key: 'rvo', iatiRef: null, name: 'Rijksdienst voor Ondernemend Nederland', names: ['RVO'] },
    ];
    const r = new OrganisationResolver(page, [['RVO', 'Rijksdienst voor Ondernemend Nederland']]);
    const apart = r.resolve({ names: ['RVO'], where: at(1) });
    expect(apart).not.toBe('rvo');
    // The full name still joins the page's organisation.
    expect(r.resolve({ names: ['Rijksdienst voor Ondernemend Nederland'], where: at(2) })).toBe(
      'rvo',
    );
    const byRef = new OrganisationResolver(
      [{ key: 'bz', iatiRef: 'XM-DAC-7', name: 'Ministerie van Buitenlandse Zaken', names: [] }],
      [['XM-DAC-7', 'Netherlands Ministry of Foreign Affairs']],
    );
    expect(
      byRef.resolve({
        ref: 'XM-DAC-7',
        names: ['Netherlands Ministry of Foreign Affairs'],
        where: at(3),
      }),
    ).not.toBe('bz');
    expect(byRef.resolve({ ref: 'XM-DAC-7', names: ['BuZa'], where: at(4) })).not.toBe('bz');
  });
});

describe('name keys', () => {
  it('drop legal forms and a parenthesised acronym, and read the acronym', () => {
    expect(nameKey('Stichting Vluchteling')).toBe('vluchteling');
    expect(nameKey('Oxfam Novib (ON)')).toBe('oxfamnovib');
    expect(acronymOf('Oxfam Novib (ON)')).toBe('on');
    expect(acronymOf('Oxfam Novib')).toBeUndefined();
  });
});
