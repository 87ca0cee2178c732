import { describe, expect, it } from 'vitest';
import { codelist } from './codelists.js';

describe('the shipped IATI codelists', () => {
  it('read codes and English names', () => {
    expect(codelist('OrganisationRole').codes).toEqual(
      new Map([
        ['1', 'Funding'],
        ['2', 'Accountable'],
        ['3', 'Extending'],
        ['4', 'Implementing'],
      ]),
    );
    expect(codelist('OrganisationType').codes.get('10')).toBe('Government');
    expect([...codelist('OrganisationType').codes.keys()]).toEqual([
      '10',
      '11',
      '15',
      '21',
      '22',
      '23',
      '24',
      '30',
      '40',
      '60',
      '70',
      '71',
      '72',
      '73',
      '80',
      '90',
    ]);
    expect(codelist('TransactionType').codes.get('3')).toBe('Disbursement');
    expect(codelist('Currency').codes.get('EUR')).toBe('Euro');
    expect(codelist('Country').codes.has('ET')).toBe(true);
  });
  it('keep withdrawn codes apart', () => {
    const currency = codelist('Currency');
    expect(currency.withdrawn.size).toBeGreaterThan(0);
    for (const code of currency.withdrawn.keys()) expect(currency.codes.has(code)).toBe(false);
  });
});
