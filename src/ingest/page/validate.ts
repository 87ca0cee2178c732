/**
 * page → extraction → **validation** → graph rows → writer. Reads one extraction file and its source page
 * and checks everything before anything is written: YAML syntax, the shape, that every quote
 * occurs verbatim on the page, that every reference resolves to an entity of the right kind,
 * that every country code is valid, and that no key or fact is given twice.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { isCountryCode } from '../../countries/index.js';
import { endLabels, normaliseName, type NodeLabel } from '../../model/index.js';
import { factId } from '../graph-rows.js';
import { ImportValidationError, pathToString, type Problem } from '../../errors/expected.js';
import { extractionSchema, type Extraction, type Relation } from './extraction-schema.js';

export interface ValidExtraction {
  extraction: Extraction;
  /** Relations with list ends expanded: one fact per from/to pair. */
  facts: Fact[];
  sourceText: string;
  /** The label of the entity each key (or country code) names. */
  labelOf: ReadonlyMap<string, NodeLabel>;
}

export type Fact = Relation & { from: string; to: string; index: number };

/** Runs of whitespace (no-break spaces included) compare as one space. */
export const normaliseSpace = (s: string) => s.replace(/[\s\u00a0]+/g, ' ').trim();

/**
 * The largest extraction or page file read (bytes): bounded before parsing, so a huge file is
 * refused at once rather than after minutes and gigabytes. Large data comes as IATI files,
 * which are streamed.
 */
export const MAX_PAGE_FILE_BYTES = 5_000_000;

/** Validates an extraction file and the page beside it. */
export function validateExtractionFile(file: string): ValidExtraction {
  const display = path.relative(process.cwd(), file) || file;
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new ImportValidationError([
      {
        file: display,
        what: existsSync(file) ? 'not a file' : 'file not found',
        why: 'give an extraction file (.yaml)',
      },
    ]);
  }
  const tooLarge = (bytes: number, what: string) => ({
    file: display,
    what: `${what} is ${(bytes / 1e6).toFixed(1)} MB`,
    why: `the limit is ${MAX_PAGE_FILE_BYTES / 1e6} MB: a page and its extraction are small (the seed's are 5 KB and 31 KB); split it into several files`,
  });
  if (statSync(file).size > MAX_PAGE_FILE_BYTES) {
    throw new ImportValidationError([tooLarge(statSync(file).size, 'the extraction')]);
  }
  return validateExtraction(display, readFileSync(file, 'utf8'), (name) => {
    const page = path.join(path.dirname(file), name);
    if (!existsSync(page) || !statSync(page).isFile()) return undefined;
    if (statSync(page).size > MAX_PAGE_FILE_BYTES) {
      throw new ImportValidationError([tooLarge(statSync(page).size, `the page ${name}`)]);
    }
    return readFileSync(page, 'utf8');
  });
}

/**
 * Validates an extraction's text; `readPage` gives the text of the page it names (undefined
 * when there is none). Pure apart from that callback: the unit tests call it directly.
 */
export function validateExtraction(
  display: string,
  text: string,
  readPage: (name: string) => string | undefined,
): ValidExtraction {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    throw new ImportValidationError(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return {
          file: display,
          line: pos.line,
          column: pos.col,
          what: 'YAML syntax error',
          why: e.message.split('\n')[0] ?? e.code,
        };
      }),
    );
  }
  const locate = (p: readonly PropertyKey[]): Pick<Problem, 'line' | 'column'> =>
    locateIn(doc, lines, p);
  const problem = (p: readonly PropertyKey[], what: string, why: string): Problem => ({
    file: display,
    ...locate(p),
    path: pathToString(p),
    what,
    why,
  });

  let plain: unknown;
  try {
    // maxAliasCount bounds YAML alias expansion ("billion laughs").
    plain = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ImportValidationError([
      {
        file: display,
        what: 'YAML cannot be read',
        why: error instanceof Error ? error.message : String(error),
      },
    ]);
  }
  const parsed = extractionSchema.safeParse(plain);
  if (!parsed.success) {
    throw new ImportValidationError(
      parsed.error.issues.map((i) => problem(i.path, 'invalid value', i.message)),
    );
  }
  const extraction = parsed.data;
  const sourceText = readPage(extraction.source.file);
  if (sourceText === undefined) {
    throw new ImportValidationError([
      problem(
        ['source', 'file'],
        `source page ${extraction.source.file} not found`,
        `it must lie beside ${path.basename(display)}`,
      ),
    ]);
  }
  const { problems, labelOf } = crossCheck(extraction, normaliseSpace(sourceText), problem);
  if (problems.length > 0) throw new ImportValidationError(problems);
  return { extraction, facts: expandRelations(extraction.relations), sourceText, labelOf };
}

type MakeProblem = (p: readonly PropertyKey[], what: string, why: string) => Problem;

/** "an organisation", "a fund": a label as the messages say it. */
const aLabel = (label: NodeLabel) =>
  `${/^[AEIOU]/.test(label) ? 'an' : 'a'} ${label.toLowerCase()}`;
const labels = (list: readonly NodeLabel[]) => list.map((l) => l.toLowerCase()).join(' or ');

function crossCheck(
  x: Extraction,
  page: string,
  problem: MakeProblem,
): { problems: Problem[]; labelOf: Map<string, NodeLabel> } {
  const problems: Problem[] = [];
  const checkQuote = (value: string | undefined, p: PropertyKey[]) => {
    if (value !== undefined && !page.includes(normaliseSpace(value))) {
      problems.push(
        problem(
          p,
          `quote not found on the page: "${value}"`,
          `every fact must be supported by a verbatim passage of ${x.source.file}`,
        ),
      );
    }
  };
  const checkCountry = (code: string, p: PropertyKey[]) => {
    if (!isCountryCode(code)) {
      problems.push(
        problem(
          p,
          `invalid country code "${code}"`,
          'expected an ISO 3166-1 alpha-2 code in capitals, e.g. ET (Kosovo: XK)',
        ),
      );
    } else if (!declaredCountries.has(code)) {
      problems.push(
        problem(
          p,
          `country ${code} is not in countries`,
          'list it under countries with the quote that names it',
        ),
      );
    }
  };

  // Keys: unique across all entities, since relations refer to them by key alone.
  const labelOf = new Map<string, NodeLabel>();
  const declare = (key: string, label: NodeLabel, p: PropertyKey[]) => {
    const earlier = labelOf.get(key);
    if (earlier)
      problems.push(problem(p, `duplicate key "${key}"`, `already used by ${aLabel(earlier)}`));
    else labelOf.set(key, label);
  };
  const declaredCountries = new Set<string>();
  x.countries.forEach((c, i) => {
    if (!isCountryCode(c.code)) {
      problems.push(
        problem(
          ['countries', i, 'code'],
          `invalid country code "${c.code}"`,
          'expected an ISO 3166-1 alpha-2 code in capitals, e.g. ET (Kosovo: XK)',
        ),
      );
    }
    if (declaredCountries.has(c.code))
      problems.push(
        problem(
          ['countries', i, 'code'],
          `duplicate country ${c.code}`,
          'each country is listed once',
        ),
      );
    declaredCountries.add(c.code);
    labelOf.set(c.code, 'Country');
    checkQuote(c.quote, ['countries', i, 'quote']);
  });
  x.places.forEach((pl, i) => {
    declare(pl.key, 'Place', ['places', i, 'key']);
    checkCountry(pl.country, ['places', i, 'country']);
    checkQuote(pl.quote, ['places', i, 'quote']);
  });
  x.organisations.forEach((o, i) => {
    declare(o.key, 'Organisation', ['organisations', i, 'key']);
    checkQuote(o.quote, ['organisations', i, 'quote']);
    checkQuote(o.basedInQuote, ['organisations', i, 'basedInQuote']);
    if (o.basedIn !== undefined) checkCountry(o.basedIn, ['organisations', i, 'basedIn']);
  });
  // Names and aliases find organisations in queries, so each may mean only one of them.
  const named = new Map<string, string>();
  x.organisations.forEach((o, i) => {
    [o.name, ...o.aliases].forEach((name, j) => {
      const folded = normaliseName(name);
      const owner = named.get(folded);
      const p: PropertyKey[] =
        j === 0 ? ['organisations', i, 'name'] : ['organisations', i, 'aliases', j - 1];
      if (owner !== undefined && owner !== o.key) {
        problems.push(
          problem(
            p,
            `"${name}" also names "${owner}"`,
            'a name or alias must identify one organisation',
          ),
        );
      }
      named.set(folded, o.key);
    });
  });
  x.funds.forEach((f, i) => {
    declare(f.key, 'Fund', ['funds', i, 'key']);
    checkQuote(f.quote, ['funds', i, 'quote']);
  });
  x.programmes.forEach((pr, i) => {
    declare(pr.key, 'Programme', ['programmes', i, 'key']);
    checkQuote(pr.quote, ['programmes', i, 'quote']);
    checkQuote(pr.periodQuote, ['programmes', i, 'periodQuote']);
    checkQuote(pr.websiteQuote, ['programmes', i, 'websiteQuote']);
  });
  if (labelOf.get(x.source.publisher) !== 'Organisation') {
    problems.push(
      problem(
        ['source', 'publisher'],
        `unknown organisation "${x.source.publisher}"`,
        'the publisher must be one of organisations',
      ),
    );
  }

  // Relations: ends resolve to entities of the kinds the type connects; no fact twice.
  const seen = new Set<string>();
  const participation = new Map<string, string>();
  x.relations.forEach((r, i) => {
    checkQuote(r.quote, ['relations', i, 'quote']);
    const ends = { from: endLabels(r.type, 'from'), to: endLabels(r.type, 'to') };
    for (const side of ['from', 'to'] as const) {
      const list = [r[side]].flat();
      list.forEach((key, j) => {
        const p: PropertyKey[] = Array.isArray(r[side])
          ? ['relations', i, side, j]
          : ['relations', i, side];
        const label = labelOf.get(key);
        if (!label) {
          problems.push(
            problem(p, `unknown reference "${key}"`, `no ${labels(ends[side])} has this key`),
          );
        } else if (!ends[side].includes(label)) {
          problems.push(
            problem(
              p,
              `"${key}" is ${aLabel(label)}`,
              `${r.type} goes ${side} ${labels(ends[side])}`,
            ),
          );
        }
      });
    }
    if (r.type === 'UNDER_FRAMEWORK') {
      for (const key of [r.to].flat()) {
        const fund = x.funds.find((f) => f.key === key);
        if (fund && fund.kind !== 'POLICY_FRAMEWORK') {
          problems.push(
            problem(
              ['relations', i, 'to'],
              `"${key}" is a ${fund.kind}`,
              'UNDER_FRAMEWORK points at a POLICY_FRAMEWORK',
            ),
          );
        }
      }
    }
    if (r.type === 'PARTICIPATES_IN') {
      r.places.forEach((key, j) => {
        const place = x.places.find((pl) => pl.key === key);
        if (!place) {
          problems.push(
            problem(
              ['relations', i, 'places', j],
              `place "${key}" is not in places`,
              'list it under places with the quote that names it',
            ),
          );
        } else if (r.countries.length > 0 && !r.countries.includes(place.country)) {
          problems.push(
            problem(
              ['relations', i, 'places', j],
              `place "${key}" is in ${place.country}, which this participation's countries leave out`,
              'add the country, or leave the place out',
            ),
          );
        }
      });
      r.countries.forEach((code, j) => {
        checkCountry(code, ['relations', i, 'countries', j]);
        if (r.countries.indexOf(code) !== j) {
          problems.push(
            problem(
              ['relations', i, 'countries', j],
              `country ${code} listed twice`,
              'list each country once',
            ),
          );
        }
      });
    }
    for (const fact of expandRelations([r])) {
      const id = factId(fact);
      if (fact.type === 'PARTICIPATES_IN') {
        // One role per organisation and programme: answers list each partner once.
        const pair = `${fact.from}|${fact.to}`;
        const earlier = participation.get(pair);
        if (earlier !== undefined && earlier !== fact.role) {
          problems.push(
            problem(
              ['relations', i],
              `"${fact.from}" is already ${earlier} in "${fact.to}"`,
              'an organisation has one role in a programme',
            ),
          );
        }
        participation.set(pair, fact.role);
      }
      if (fact.from === fact.to)
        problems.push(
          problem(
            ['relations', i],
            `${r.type} from "${fact.from}" to itself`,
            'a relationship joins two entities',
          ),
        );
      if (seen.has(id))
        problems.push(
          problem(['relations', i], `duplicate fact ${id}`, 'the same relationship is given twice'),
        );
      seen.add(id);
    }
  });
  return { problems, labelOf };
}

export function expandRelations(relations: readonly Relation[]): Fact[] {
  return relations.flatMap((r, index) =>
    [r.from].flat().flatMap((from) => [r.to].flat().map((to) => ({ ...r, from, to, index }))),
  );
}

function locateIn(doc: Document, lines: LineCounter, p: readonly PropertyKey[]) {
  // Walk up to the nearest node that exists (a missing field is reported at its parent).
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n) as (string | number)[], true) as
      { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const pos = lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}
