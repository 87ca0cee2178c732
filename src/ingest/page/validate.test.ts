/** Every kind of bad extraction is refused with where (file:line:column path), what and why. */
import { describe, expect, it } from 'vitest';
import { ImportValidationError } from '../../errors/expected.js';
import { lineOf, realSeed, realSeedText, seedWith } from '../../../test/support/seed-files.js';
import { validateExtractionFile } from './validate.js';

describe('validateExtractionFile', () => {
  it('accepts the real seed', () => {
    const valid = validateExtractionFile(realSeed);
    expect(valid.facts.length).toBeGreaterThan(80);
    expect(valid.labelOf.get('plan-international-nederland')).toBe('Organisation');
    expect(valid.labelOf.get('ET')).toBe('Country');
  });

  describe('refuses', () => {
    const text = realSeedText();
    const cases: { name: string; file: () => string; message: RegExp }[] = [
      {
        name: 'broken YAML',
        file: () => seedWith('  - key: cancun\n', '  - key: [cancun\n'),
        message: new RegExp(`changed\\.yaml:\\d+:\\d+: YAML syntax error`),
      },
      {
        name: 'unknown reference',
        file: () => seedWith('    from: ministerie-szw\n', '    from: ministerie-sz\n'),
        message: new RegExp(
          `changed\\.yaml:${lineOf(text, '    from: ministerie-szw\n')}:\\d+ relations\\[\\d+\\]\\.from: unknown reference "ministerie-sz" — no organisation or fund has this key`,
        ),
      },
      {
        name: 'invented quote',
        file: () => seedWith("quote: 'Nationale Politie'", "quote: 'Nationale Politie Amsterdam'"),
        message:
          /organisations\[\d+\]\.quote: quote not found on the page: "Nationale Politie Amsterdam" — every fact must be supported by a verbatim passage of institutionele-donoren\.txt/,
      },
      {
        name: 'bad country code',
        file: () => seedWith("{ code: GH, quote: 'Ghana' }", "{ code: GQX, quote: 'Ghana' }"),
        message:
          /countries\[2\]\.code: invalid country code "GQX" — expected an ISO 3166-1 alpha-2 code/,
      },
      {
        name: 'a participation in a place that is not listed',
        file: () => seedWith('    places: [cancun]\n', '    places: [cancoon]\n'),
        message:
          /relations\[\d+\]\.places\[0\]: place "cancoon" is not in places — list it under places with the quote that names it/,
      },
      {
        name: 'a participation in a place outside its countries',
        file: () => seedWith('    places: [cancun]\n', '    places: [phuket]\n'),
        message:
          /relations\[\d+\]\.places\[0\]: place "phuket" is in TH, which this participation's countries leave out/,
      },
      {
        name: 'duplicate key',
        file: () => seedWith('  - key: tui\n', '  - key: anvr\n'),
        message:
          /organisations\[\d+\]\.key: duplicate key "anvr" — already used by an organisation/,
      },
      {
        name: 'relationship between the wrong kinds',
        file: () =>
          seedWith(
            '    from: ministerie-jenv\n    to: dont-look-away\n    basis: IMPLIED',
            '    from: speaking-minds\n    to: dont-look-away\n    basis: IMPLIED',
          ),
        message:
          /relations\[\d+\]\.from: "speaking-minds" is a programme — FUNDS goes from organisation or fund/,
      },
      {
        name: 'a name that already names another organisation',
        file: () => seedWith('    name: Stimulanz\n', '    name: Save the Children\n'),
        message:
          /organisations\[\d+\]\.name: "Save the Children" also names "save-the-children" — a name or alias must identify one organisation/,
      },
      {
        name: 'two roles for one organisation in one programme',
        file: () =>
          seedWith(
            '    from: terre-des-hommes-nederland\n    to: girls-advocacy-alliance\n',
            '    from: plan-international-nederland\n    to: girls-advocacy-alliance\n',
          ),
        message:
          /relations\[\d+\]: "plan-international-nederland" is already LEAD in "girls-advocacy-alliance" — an organisation has one role in a programme/,
      },
      {
        name: 'unknown field value',
        file: () =>
          seedWith(
            "    kind: POLICE\n    quote: 'Nationale Politie'",
            "    kind: POLITIE\n    quote: 'Nationale Politie'",
          ),
        message: /organisations\[\d+\]\.kind: invalid value — Invalid option: expected one of/,
      },
    ];

    for (const { name, file, message } of cases) {
      it(name, () => {
        const bad = file();
        let error: unknown;
        try {
          validateExtractionFile(bad);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ImportValidationError);
        expect((error as Error).message).toMatch(/nothing was written/);
        expect((error as Error).message).toMatch(message);
      });
    }

    it('a missing file, and a folder given as a file', () => {
      expect(() => validateExtractionFile('/nonexistent/page.yaml')).toThrow(/file not found/);
      expect(() => validateExtractionFile(import.meta.dirname)).toThrow(/not a file/);
    });
  });
});
