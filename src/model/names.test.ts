import { describe, expect, it } from 'vitest';
import { nameKeys, nameWords, normaliseName } from './names.js';

describe('normaliseName', () => {
  it('folds case, accents, typographic quotes, punctuation, hyphens and spaces', () => {
    expect(normaliseName('Côte d’Ivoire')).toBe('cotedivoire');
    expect(normaliseName("COTE D'IVOIRE")).toBe('cotedivoire');
    expect(normaliseName('  Terre-des-Hommes ')).toBe('terredeshommes');
    expect(normaliseName('Ethiopië')).toBe(normaliseName('ethiopie'));
    expect(normaliseName('Don’t Look Away')).toBe(normaliseName("don't look away"));
  });
  it('keeps letters of other scripts and digits', () => {
    expect(normaliseName('Ελλάδα 2030')).toBe('ελλαδα2030');
  });
  it('keeps different names apart', () => {
    expect(normaliseName('Plan International Nederland')).not.toBe(
      normaliseName('Plan International'),
    );
  });
});

describe('nameKeys', () => {
  it('lists each normalised form once, skipping missing and empty names', () => {
    expect(nameKeys(['Terre des Hommes', null, 'terre-des-hommes', 'TdH', '—'])).toEqual([
      'terredeshommes',
      'tdh',
    ]);
  });
});

describe('nameWords', () => {
  it('splits by the same rule, so that the words without spaces are the normalised name', () => {
    for (const name of ['Côte d’Ivoire', '  ECPAT  México—Norte ', 'Stichting (NL) 2.0']) {
      expect(nameWords(name).replaceAll(' ', '')).toBe(normaliseName(name));
    }
    expect(nameWords('Côte d’Ivoire')).toBe('cote d ivoire');
    expect(nameWords('child-protection: "systems"')).toBe('child protection systems');
  });
});
