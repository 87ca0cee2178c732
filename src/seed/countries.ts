/** ISO 3166-1 alpha-2 codes and English/Dutch names, from i18n-iso-countries (Kosovo is XK). */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import nl from 'i18n-iso-countries/langs/nl.json' with { type: 'json' };

countries.registerLocale(en);
countries.registerLocale(nl);

export const isCountryCode = (code: string): boolean =>
  /^[A-Z]{2}$/.test(code) && countries.isValid(code);

/** The common English and Dutch names ("Netherlands", "Ethiopië"), not the long official ones. */
export function countryNames(code: string): { nameEn: string; nameNl: string } {
  // The library lists English names common-first and Dutch names official-first.
  const nameEn = countries.getName(code, 'en', { select: 'official' });
  const nameNl = countries.getName(code, 'nl', { select: 'alias' });
  if (!nameEn || !nameNl) throw new Error(`no names for country code ${code}`);
  return { nameEn, nameNl };
}

/** Every spelling the library knows for a country, in English and Dutch. */
export function countrySpellings(code: string): string[] {
  const all = [
    ...[countries.getName(code, 'en', { select: 'all' }) ?? []].flat(),
    ...[countries.getName(code, 'nl', { select: 'all' }) ?? []].flat(),
  ];
  return [...new Set(all)];
}
