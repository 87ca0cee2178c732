import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/index.js';
import { NODE_PROPERTIES, storedRelationshipProperties } from '../../model/index.js';
import { completeRows } from '../writer.js';
import { factId } from '../graph-rows.js';
import { toGraphRows } from './to-graph-rows.js';
import { normaliseSpace, validateExtraction } from './validate.js';

const PAGE = 'We Ministry partners Prog funds lead runs Ethiopië Filippijnen in Ethiopië';

const extraction = {
  source: { key: 'page', title: 'A page', file: 'page.txt', language: 'nl', publisher: 'we' },
  countries: [
    { code: 'ET', quote: 'Ethiopië' },
    { code: 'PH', quote: 'Filippijnen', aliases: ['Filippijnen'] },
  ],
  organisations: [
    { key: 'we', name: 'We', kind: 'NGO', quote: 'We', basedIn: 'ET', basedInQuote: 'in Ethiopië' },
    { key: 'ministry', name: 'Ministry', kind: 'MINISTRY', quote: 'Ministry' },
    {
      key: 'partners',
      name: 'local partners',
      kind: 'UNNAMED_GROUP',
      named: false,
      quote: 'partners',
    },
  ],
  programmes: [{ key: 'prog', name: 'Prog', type: 'PROJECT', quote: 'Prog' }],
  relations: [
    { type: 'FUNDS', from: 'ministry', to: 'prog', quote: 'funds' },
    {
      type: 'PARTICIPATES_IN',
      from: ['we', 'partners'],
      to: 'prog',
      role: 'LEAD',
      countries: ['ET'],
      quote: 'lead',
    },
    { type: 'RUNS_IN', from: 'prog', to: ['ET', 'PH'], quote: 'runs', basis: 'IMPLIED' },
  ],
};

describe('toGraphRows', () => {
  const rows = toGraphRows(validateExtraction('page.yaml', stringify(extraction), () => PAGE));
  const group = (type: string) =>
    rows.relationships.filter((g) => g.type === type).flatMap((g) => g.rows);

  it('expands list ends into one relationship per pair', () => {
    expect(group('PARTICIPATES_IN').map((r) => r.fid)).toEqual([
      'PARTICIPATES_IN|we|prog|LEAD',
      'PARTICIPATES_IN|partners|prog|LEAD',
    ]);
    expect(group('RUNS_IN').map((r) => [r.to, r.props.basis])).toEqual([
      ['ET', 'IMPLIED'],
      ['PH', 'IMPLIED'],
    ]);
  });

  it('maps kinds and roles to IATI codes', () => {
    const iati = Object.fromEntries(
      rows.nodes.Organisation.map((o) => [String(o.key), o.iatiOrganisationType] as const),
    );
    expect(iati).toEqual({ we: '22', ministry: '10', partners: '90' });
    expect(group('PARTICIPATES_IN')[0]?.props).toMatchObject({
      role: 'LEAD',
      iatiRole: '2',
      countries: ['ET'],
      source: 'page',
    });
    expect(group('FUNDS')[0]?.props).toMatchObject({
      coFinancing: false,
      basis: 'STATED',
      quote: 'funds',
    });
  });

  it('derives BASED_IN from basedIn, and country names from the code', () => {
    expect(group('BASED_IN')).toEqual([
      {
        fid: 'BASED_IN|we|ET',
        from: 'we',
        to: 'ET',
        props: { fid: 'BASED_IN|we|ET', quote: 'in Ethiopië', basis: 'STATED', source: 'page' },
      },
    ]);
    const ph = rows.nodes.Country.find((c) => c.code === 'PH');
    expect(ph).toMatchObject({
      nameEn: 'Philippines',
      nameNl: 'Filipijnen',
      aliases: ['Filippijnen'],
    });
  });
});

describe('helpers', () => {
  it('compares whitespace runs, including no-break spaces, as one space', () => {
    expect(normaliseSpace(' in Nederland\u00a0 is\n')).toBe('in Nederland is');
  });
  it('identifies a fact by type, ends and role', () => {
    expect(factId({ type: 'MEMBER_OF', from: 'a', to: 'b', role: 'SECRETARIAT' })).toBe(
      'MEMBER_OF|a|b|SECRETARIAT',
    );
    expect(factId({ type: 'OWNS', from: 'a', to: 'b' })).toBe('OWNS|a|b');
  });
});

describe('the page rows and the model (schema/)', () => {
  const seeds = path.join(projectRoot, 'seeds');
  const rows = toGraphRows(
    validateExtraction(
      'institutionele-donoren.yaml',
      readFileSync(path.join(seeds, 'institutionele-donoren.yaml'), 'utf8'),
      (name) => readFileSync(path.join(seeds, name), 'utf8'),
    ),
  );

  it('give every property the model requires and only declared ones; the writer completes the rest', () => {
    const complete = completeRows(rows);
    for (const label of [
      'Source',
      'Organisation',
      'Programme',
      'Fund',
      'Country',
      'Place',
    ] as const) {
      const declared = Object.keys(NODE_PROPERTIES[label]).filter(
        (p) => p !== 'sources' && p !== 'importStatus',
      );
      expect(rows.nodes[label].length, label).toBeGreaterThan(0);
      for (const row of complete.nodes[label]) {
        expect(
          Object.keys(row)
            .filter((p) => p !== 'nameKeys')
            .sort(),
          label,
        ).toEqual(declared.sort());
      }
    }
    for (const group of complete.relationships) {
      const declared = [...storedRelationshipProperties(group.type, group.fromLabel, group.toLabel)]
        .filter((p) => p !== 'sources')
        .sort();
      for (const row of group.rows)
        expect(Object.keys(row.props).sort(), group.type).toEqual(declared);
    }
  });

  it('are refused by the writer when they carry a property the model does not declare', () => {
    const bad = {
      ...rows,
      nodes: { ...rows.nodes, Place: [{ key: 'x', name: 'X', quote: 'q', colour: 'red' }] },
    };
    expect(() => completeRows(bad)).toThrow(/Place rows carry colour, not in the model/);
    const missing = { ...rows, nodes: { ...rows.nodes, Place: [{ key: 'x', quote: 'q' }] } };
    expect(() => completeRows(missing)).toThrow(/Place rows lack name, which the model requires/);
  });
});
