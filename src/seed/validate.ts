/**
 * page → extraction → **validation** → import. Reads one extraction file and its source page
 * and checks everything before anything is written: YAML syntax, the shape, that every quote
 * occurs verbatim on the page, that every reference resolves to an entity of the right kind,
 * that every country code is valid, and that no key or fact is given twice.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { isCountryCode } from '../countries/index.js';
import {
  extractionSchema,
  RELATION_ENDPOINTS,
  type EntityKind,
  type Extraction,
  type Relation,
} from './extraction-schema.js';
import { pathToString, SeedValidationError, type Problem } from './problems.js';

export interface ValidExtraction {
  extraction: Extraction;
  /** Relations with list ends expanded: one fact per from/to pair. */
  facts: Fact[];
  sourceText: string;
}

export type Fact = Relation & { from: string; to: string; index: number };

/** Runs of whitespace (no-break spaces included) compare as one space. */
export const normaliseSpace = (s: string) => s.replace(/[\s\u00a0]+/g, ' ').trim();

export function validateExtractionFile(file: string): ValidExtraction {
  const display = path.relative(process.cwd(), file) || file;
  if (!existsSync(file)) {
    throw new SeedValidationError([
      { file: display, what: 'file not found', why: 'nothing to import' },
    ]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    throw new SeedValidationError(
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
    throw new SeedValidationError([
      {
        file: display,
        what: 'YAML cannot be read',
        why: error instanceof Error ? error.message : String(error),
      },
    ]);
  }
  const parsed = extractionSchema.safeParse(plain);
  if (!parsed.success) {
    throw new SeedValidationError(
      parsed.error.issues.map((i) => problem(i.path, 'invalid value', i.message)),
    );
  }
  const extraction = parsed.data;
  const sourceFile = path.join(path.dirname(file), extraction.source.file);
  if (!existsSync(sourceFile) || !statSync(sourceFile).isFile()) {
    throw new SeedValidationError([
      problem(
        ['source', 'file'],
        `source page ${extraction.source.file} not found`,
        `it must lie beside ${path.basename(file)}`,
      ),
    ]);
  }
  const sourceText = readFileSync(sourceFile, 'utf8');
  const problems = crossCheck(extraction, normaliseSpace(sourceText), problem);
  if (problems.length > 0) throw new SeedValidationError(problems);
  return { extraction, facts: expandRelations(extraction.relations), sourceText };
}

type MakeProblem = (p: readonly PropertyKey[], what: string, why: string) => Problem;

function crossCheck(x: Extraction, page: string, problem: MakeProblem): Problem[] {
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
  const kindOf = new Map<string, EntityKind>();
  const declare = (key: string, kind: EntityKind, p: PropertyKey[]) => {
    const earlier = kindOf.get(key);
    if (earlier)
      problems.push(
        problem(
          p,
          `duplicate key "${key}"`,
          `already used by a${earlier === 'organisation' ? 'n' : ''} ${earlier}`,
        ),
      );
    else kindOf.set(key, kind);
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
    kindOf.set(c.code, 'country');
    checkQuote(c.quote, ['countries', i, 'quote']);
  });
  x.places.forEach((pl, i) => {
    declare(pl.key, 'place', ['places', i, 'key']);
    checkCountry(pl.country, ['places', i, 'country']);
    checkQuote(pl.quote, ['places', i, 'quote']);
  });
  x.organisations.forEach((o, i) => {
    declare(o.key, 'organisation', ['organisations', i, 'key']);
    checkQuote(o.quote, ['organisations', i, 'quote']);
    checkQuote(o.basedInQuote, ['organisations', i, 'basedInQuote']);
    if (o.basedIn !== undefined) checkCountry(o.basedIn, ['organisations', i, 'basedIn']);
  });
  // Names and aliases find organisations in queries, so each may mean only one of them.
  const named = new Map<string, string>();
  x.organisations.forEach((o, i) => {
    [o.name, ...o.aliases].forEach((name, j) => {
      const folded = name.toLowerCase();
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
    declare(f.key, 'fund', ['funds', i, 'key']);
    checkQuote(f.quote, ['funds', i, 'quote']);
  });
  x.programmes.forEach((pr, i) => {
    declare(pr.key, 'programme', ['programmes', i, 'key']);
    checkQuote(pr.quote, ['programmes', i, 'quote']);
    checkQuote(pr.periodQuote, ['programmes', i, 'periodQuote']);
    checkQuote(pr.websiteQuote, ['programmes', i, 'websiteQuote']);
  });
  if (kindOf.get(x.source.publisher) !== 'organisation') {
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
    const ends = RELATION_ENDPOINTS[r.type];
    for (const side of ['from', 'to'] as const) {
      const list = [r[side]].flat();
      list.forEach((key, j) => {
        const p: PropertyKey[] = Array.isArray(r[side])
          ? ['relations', i, side, j]
          : ['relations', i, side];
        const kind = kindOf.get(key);
        if (!kind) {
          problems.push(
            problem(p, `unknown reference "${key}"`, `no ${ends[side].join(' or ')} has this key`),
          );
        } else if (!ends[side].includes(kind)) {
          problems.push(
            problem(
              p,
              `"${key}" is a${kind === 'organisation' ? 'n' : ''} ${kind}`,
              `${r.type} goes ${side} ${ends[side].join(' or ')}`,
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
  return problems;
}

/** Stable identity of a fact: type, ends and role. MERGE uses it, so re-imports match. */
export function factId(f: { type: string; from: string; to: string; role?: string }): string {
  return [f.type, f.from, f.to, f.role].filter((s) => s !== undefined).join('|');
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
