/**
 * Countries: ISO 3166-1 alpha-2 codes with English and Dutch names, from i18n-iso-countries
 * (which knows Kosovo as XK). Used by the importer (validation, names) and by the API (an
 * analyst may write "ET", "Ethiopia" or "Ethiopië").
 */
import { distance } from 'fastest-levenshtein';
import countries from 'i18n-iso-countries';
import { normaliseName } from '../model/names.js';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import nl from 'i18n-iso-countries/langs/nl.json' with { type: 'json' };

countries.registerLocale(en);
countries.registerLocale(nl);

export const isCountryCode = (code: string): boolean =>
  /^[A-Z]{2}$/.test(code) && countries.isValid(code);

/** The alpha-2 code of an ISO 3166-1 alpha-3 code ("ETH" → "ET"); undefined for none. */
export const alpha2Of = (alpha3: string): string | undefined =>
  /^[A-Z]{3}$/.test(alpha3) ? countries.alpha3ToAlpha2(alpha3) : undefined;

/** The common English and Dutch names ("Netherlands", "Ethiopië"), not the long official ones. */
export function countryNames(code: string): { nameEn: string; nameNl: string } {
  // The library lists English names common-first and Dutch names official-first.
  const nameEn = countries.getName(code, 'en', { select: 'official' });
  const nameNl = countries.getName(code, 'nl', { select: 'alias' });
  if (!nameEn || !nameNl) throw new Error(`no names for country code ${code}`);
  return { nameEn, nameNl };
}

let byFoldedName: Map<string, Set<string>> | undefined;

/**
 * Every name a country goes by: the library's English and Dutch names (official and common),
 * and the everyday names of the Unicode CLDR that Node's Intl carries ("Syria" beside "Syrian
 * Arab Republic", "Laos", "Zuid-Korea").
 */
function nameIndex(): Map<string, Set<string>> {
  if (byFoldedName) return byFoldedName;
  const index = new Map<string, Set<string>>();
  const cldr = ['en', 'nl'].map((lang) => new Intl.DisplayNames([lang], { type: 'region' }));
  for (const code of Object.keys(countries.getAlpha2Codes())) {
    const names = [
      ...['en', 'nl'].flatMap((lang) =>
        [countries.getName(code, lang, { select: 'all' }) ?? []].flat(),
      ),
      ...cldr
        .map((names) => names.of(code))
        .filter((n): n is string => n !== undefined && n !== code),
    ];
    for (const name of names) {
      const folded = normaliseName(name);
      index.set(folded, (index.get(folded) ?? new Set()).add(code));
    }
  }
  byFoldedName = index;
  return index;
}

/**
 * The ISO codes of the countries `input` may mean: a code ("ET", "et"), an English name
 * ("Ethiopia") or a Dutch name ("Ethiopië", "ethiopie"). Empty when it is none of those; more
 * than one when a name is shared (e.g. "Congo").
 */
export function countriesNamed(input: string): string[] {
  const trimmed = input.trim();
  if (/^[a-z]{2}$/i.test(trimmed) && isCountryCode(trimmed.toUpperCase()))
    return [trimmed.toUpperCase()];
  return [...(nameIndex().get(normaliseName(trimmed)) ?? [])].sort();
}

/**
 * The countries whose English or Dutch name is closest to `input` (edit distance between
 * normalised names), at most `n`, the closest first: what to suggest for a misspelt country.
 */
export function closestCountries(input: string, n = 3): { code: string; nameEn: string }[] {
  const typed = normaliseName(input);
  if (typed === '') return [];
  const best = new Map<string, number>();
  for (const [name, codes] of nameIndex()) {
    const d = distance(typed, name);
    for (const code of codes) best.set(code, Math.min(d, best.get(code) ?? Infinity));
  }
  return [...best]
    .sort(([a, da], [b, db]) => da - db || a.localeCompare(b))
    .slice(0, n)
    .map(([code]) => ({ code, nameEn: countryNames(code).nameEn }));
}
