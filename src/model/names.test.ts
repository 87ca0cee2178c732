import { describe, expect, it } from 'vitest';
import {
  boundedName,
  MAX_NAME,
  nameKeys,
  nameWords,
  normaliseName,
  unquotedName,
} from './names.js';

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

describe('boundedName', () => {
  it('keeps a name of up to MAX_NAME characters as it is', () => {
    const name = 'x'.repeat(MAX_NAME);
    expect(boundedName(name)).toBe(name);
    expect(boundedName('Plan International Nederland')).toBe('Plan International Nederland');
  });

  it('cuts a paragraph at a word boundary, within MAX_NAME characters, ending in "…"', () => {
    const paragraph = `KAALO Aid and Development is a non-profit organization ${'working in Somalia '.repeat(60)}`;
    const cut = boundedName(paragraph);
    expect([...cut].length).toBeLessThanOrEqual(MAX_NAME);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.startsWith('KAALO Aid and Development is a non-profit organization working')).toBe(
      true,
    );
    expect(paragraph.startsWith(cut.slice(0, -1))).toBe(true);
    // Whole words only: what precedes the "…" ends a word of the paragraph.
    expect(paragraph[cut.length - 1]).toMatch(/\s/);
  });

  it('cuts a text without spaces by characters, never inside a surrogate pair', () => {
    const cut = boundedName('😀'.repeat(MAX_NAME + 10));
    expect([...cut]).toHaveLength(MAX_NAME);
    expect(cut).toBe(`${'😀'.repeat(MAX_NAME - 1)}…`);
  });
});

describe('unquotedName', () => {
  it('takes off the quotation marks a publisher wraps a whole name in', () => {
    expect(unquotedName("'Ministry of Foreign Affairs, Denmark'")).toBe(
      'Ministry of Foreign Affairs, Denmark',
    );
    expect(unquotedName('"Cordaid"')).toBe('Cordaid');
    expect(unquotedName('“ Terre des Hommes ”')).toBe('Terre des Hommes');
    expect(unquotedName('„Kinderpostzegels“')).toBe('Kinderpostzegels');
    expect(unquotedName('«Médecins du Monde»')).toBe('Médecins du Monde');
  });

  it('leaves a name that quotes a part of itself, or only starts or ends with a mark', () => {
    for (const name of [
      "'Save the Children' and 'Plan'",
      '"Down to Zero" alliance',
      "Children's Rights'",
      "'s-Hertogenbosch municipality",
      "''",
      '"',
      'Plan International Nederland',
    ]) {
      expect(unquotedName(name)).toBe(name);
    }
  });
});
