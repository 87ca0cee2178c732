import { describe, expect, it } from 'vitest';
import { closestCountries, countriesNamed, countryNames, isCountryCode } from './index.js';

describe('countries', () => {
  it.each([
    ['ET', 'ET'],
    ['et', 'ET'],
    ['Ethiopia', 'ET'],
    ['Ethiopië', 'ET'],
    ['ethiopie', 'ET'],
    ['  ETHIOPIË ', 'ET'],
    ['Filipijnen', 'PH'],
    ['The Netherlands', 'NL'],
    ['Nederland', 'NL'],
    ['Kosovo', 'XK'],
    ['XK', 'XK'],
    ['Oekraïne', 'UA'],
    ['Dominicaanse Republiek', 'DO'],
    ["Côte d'Ivoire", 'CI'],
    // Everyday names (Unicode CLDR) beside the library's official ones.
    ['Syria', 'SY'],
    ['Syrian Arab Republic', 'SY'],
    ['Laos', 'LA'],
    ['South Korea', 'KR'],
    ['Zuid-Korea', 'KR'],
    ['Congo-Kinshasa', 'CD'],
  ])('resolves %j to %s', (input, code) => {
    expect(countriesNamed(input)).toEqual([code]);
  });

  it('finds every country a shared name may mean', () => {
    expect(countriesNamed('Congo')).toEqual(['CD', 'CG']);
    expect(countriesNamed('Ethiopië')).toEqual(['ET']);
  });

  it('rejects what is not a country', () => {
    expect(countriesNamed('Atlantis')).toEqual([]);
    expect(countriesNamed('ZZ')).toEqual([]);
    expect(countriesNamed('')).toEqual([]);
    expect(isCountryCode('et')).toBe(false);
    expect(isCountryCode('GQX')).toBe(false);
  });

  it('names countries in English and Dutch, by their common names', () => {
    expect(countryNames('ET')).toEqual({ nameEn: 'Ethiopia', nameNl: 'Ethiopië' });
    expect(countryNames('NL')).toEqual({ nameEn: 'Netherlands', nameNl: 'Nederland' });
    expect(countryNames('XK')).toEqual({ nameEn: 'Kosovo', nameNl: 'Kosovo' });
  });
});

describe('closestCountries', () => {
  it('suggests the countries a misspelt name is closest to, in English or Dutch', () => {
    expect(closestCountries('Ethopia')[0]).toEqual({ code: 'ET', nameEn: 'Ethiopia' });
    expect(closestCountries('Filipijnen')[0]?.code).toBe('PH');
    expect(closestCountries('Oekraine', 1)).toEqual([{ code: 'UA', nameEn: 'Ukraine' }]);
    expect(closestCountries('—')).toEqual([]);
  });
});
