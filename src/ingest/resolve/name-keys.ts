/**
 * Names as resolution compares them: normalised (model/names.ts), without legal forms
 * ("Stichting …", "… vzw", "… Ltd") and without a parenthesised acronym, or as words. Pure.
 */
import { normaliseName } from '../../model/index.js';

/** Legal forms that do not tell organisations apart. */
const LEGAL_FORMS = [
  /^stichting\s+/i,
  /\s+(vzw|v\.z\.w\.|asbl|a\.s\.b\.l\.|e\.\s?v\.|gg?mbh|ltd\.?|limited|inc\.?|llc|b\.v\.|n\.v\.|s\.a\.|foundation inc\.?)$/i,
];

/** The name as matched: normalised, without a legal form and without a parenthesised acronym. */
export function nameKey(name: string): string {
  let n = name.replace(/\s*\([^)]*\)\s*$/, '').trim();
  for (const form of LEGAL_FORMS) n = n.replace(form, '');
  return normaliseName(n);
}

/** The acronym a name carries in parentheses at its end, normalised ("… (TdH)" → "tdh"). */
export function acronymOf(name: string): string | undefined {
  const m = /\(([^()]{2,15})\)\s*$/.exec(name);
  const key = m?.[1] ? normaliseName(m[1]) : '';
  return key.length >= 2 ? key : undefined;
}

/** A name's words, lower case, without accents, punctuation and legal forms. */
export function wordsOf(name: string): string[] {
  let n = name.replace(/\s*\([^)]*\)\s*$/, '').trim();
  for (const form of LEGAL_FORMS) n = n.replace(form, '');
  return n
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}
