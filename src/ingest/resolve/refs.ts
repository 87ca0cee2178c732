/**
 * What a `ref` attribute and a name are worth as evidence of identity. Real publishers write
 * activity identifiers, internal numbers, names, placeholders and CRS category codes into
 * `ref`; a ref is evidence only when it is an organisation identifier — a registration agency's
 * prefix (OrganisationRegistrationAgency) and an id — after the repairs the codelists make
 * safe: stray spaces, a doubled country prefix (`NL-NL-KVK-…`), a bare CRS channel code
 * (`41122` → `XM-DAC-41122`), a Dutch KvK number that lost its leading zero. Names that are no
 * organisation ("N/A", "local partners", "Partner 3", a CRS category such as "Recipient
 * Government") are placeholders. Pure.
 */
import { codelist } from '../iati/codelists.js';
import { normaliseName } from '../../model/index.js';
import { nameKey, wordsOf } from './name-keys.js';

export type RefVerdict =
  | { kind: 'identifier'; ref: string; repaired?: string }
  | { kind: 'not an identifier'; why: string };

const PLACEHOLDER_REFS = new Set([
  '',
  'NA',
  'N/A',
  'NONE',
  'NULL',
  'NIL',
  '0',
  '-',
  'UNKNOWN',
  'TBD',
  'NOTAVAILABLE',
  'NOTAPPLICABLE',
  'XXX',
  'XX',
]);

let agencies: string[] | undefined;
/** Registration agency codes, longest first (so `XM-DAC` is tried before `XM`). */
function agencyCodes(): string[] {
  agencies ??= [
    ...codelist('OrganisationRegistrationAgency').codes.keys(),
    ...codelist('OrganisationRegistrationAgency').withdrawn.keys(),
    // IATI's own prefix for organisations without another registry.
    'XI-IATI',
  ].sort((a, b) => b.length - a.length);
  return agencies;
}

/** CRS channel codes that are categories of other codes, not organisations ("Recipient Government"). */
let parentCodes: Set<string> | undefined;
function isCrsCategory(code: string): boolean {
  const crs = codelist('CRSChannelCode');
  const name = crs.codes.get(code) ?? crs.withdrawn.get(code);
  if (name === undefined) return false;
  parentCodes ??= new Set(crs.categories.values());
  const parent = parentCodes.has(code);
  // "World Bank Group (WB)" is a category of the Bank's parts, and an organisation too.
  return parent && !/\([A-Z][A-Za-z]+\)\s*$/.test(name);
}

let categoryNames: Set<string> | undefined;
/** The names of CRS categories, normalised: a mention named so names no one in particular. */
function crsCategoryNames(): Set<string> {
  if (!categoryNames) {
    const crs = codelist('CRSChannelCode');
    categoryNames = new Set(
      [...crs.codes].filter(([code]) => isCrsCategory(code)).map(([, name]) => normaliseName(name)),
    );
  }
  return categoryNames;
}

/**
 * Whether `raw` is an organisation identifier, and which (repaired). `activities`: activity
 * identifiers known to the import, which are never organisation identifiers.
 */
export function judgeRef(raw: string, activities: ReadonlySet<string> = new Set()): RefVerdict {
  const compact = raw.replace(/[\s\u00a0]+/g, '').toUpperCase();
  if (PLACEHOLDER_REFS.has(compact.replace(/[\s.]/g, ''))) {
    return { kind: 'not an identifier', why: 'a placeholder' };
  }
  if (activities.has(raw.trim()) || activities.has(compact)) {
    return { kind: 'not an identifier', why: 'an activity identifier' };
  }
  if (/^\d+$/.test(compact)) {
    const crs = codelist('CRSChannelCode');
    if (!crs.codes.has(compact) && !crs.withdrawn.has(compact)) {
      return { kind: 'not an identifier', why: 'a number without a registration agency' };
    }
    if (isCrsCategory(compact)) return { kind: 'not an identifier', why: 'a CRS category' };
    return { kind: 'identifier', ref: `XM-DAC-${compact}`, repaired: 'a bare CRS channel code' };
  }
  let ref = compact;
  let repaired: string | undefined;
  const doubled = /^([A-Z]{2})-\1-(.+)$/.exec(ref);
  if (doubled && prefixOf(`${doubled[1]}-${doubled[2]}`)) {
    ref = `${doubled[1]}-${doubled[2]}`;
    repaired = 'a doubled prefix';
  }
  const agency = prefixOf(ref);
  if (!agency) return { kind: 'not an identifier', why: 'no registration agency prefix' };
  const id = ref.slice(agency.length + 1);
  // IATI's identifier rules allow no "|" or "?": a ref that holds one is a label pasted from a
  // form ("DK-CVR-DK-CVR | Danish Central Busine": the agency's entry in a list, the number
  // lost), and keying by it would make an organisation of the label.
  if (/[|?]/.test(id)) return { kind: 'not an identifier', why: 'a label holding "|" or "?"' };
  if (agency === 'XM-DAC' && /^\d+$/.test(id) && isCrsCategory(id)) {
    return { kind: 'not an identifier', why: 'a CRS category' };
  }
  if (agency === 'NL-KVK') {
    // A KvK number has 8 digits; a leading zero is often lost, anything after is no part of it.
    if (/^\d{7}$/.test(id))
      return { kind: 'identifier', ref: `NL-KVK-0${id}`, repaired: 'a lost leading zero' };
    if (!/^\d{8}$/.test(id)) return { kind: 'not an identifier', why: 'not a KvK number' };
  }
  return { kind: 'identifier', ref, ...(repaired ? { repaired } : {}) };
}

function prefixOf(ref: string): string | undefined {
  const agency = agencyCodes().find((a) => ref.startsWith(`${a}-`) && ref.length > a.length + 1);
  // Donor governments' agencies as IATI numbered them before the agency list (US-GOV-1 USAID).
  return agency ?? /^([A-Z]{2}-GOV)-\d+$/.exec(ref)?.[1];
}

/**
 * What the whole import says about refs, gathered before anything is resolved: the activity
 * identifiers (never organisation identifiers) and each identifier's own name — how its
 * organisation reports itself, else what the graph calls it, else its most frequent name.
 */
export interface RefEvidence {
  activities: ReadonlySet<string>;
  ownNames: ReadonlyMap<string, string>;
  /** Normalised own name → the identifier it is the own name of. */
  owners: ReadonlyMap<string, string>;
}

/** Names that name no organisation in particular. */
const PLACEHOLDER_NAMES = new Set(
  [
    'n a',
    'na',
    'none',
    'null',
    'unknown',
    'various',
    'tbd',
    'to be determined',
    'not applicable',
    'not available',
    'other',
    'others',
    'partner',
    'partners',
    'local partner',
    'local partners',
    'local ngo',
    'local ngos',
    'private donor',
    'private donors',
    'anonymous',
    'anonymous donor',
    'anonymous private donor',
    'individual donors',
    'general public',
    'public',
    'government',
    'correction',
    'multiple',
    'diverse',
    'divers',
    'autres',
    'overig',
    'overige',
  ].map(normaliseName),
);

/** True when `name` names no organisation in particular: a placeholder scoped to its activity. */
export function isPlaceholderName(name: string): boolean {
  const n = normaliseName(name);
  if (n === '' || PLACEHOLDER_NAMES.has(n)) return true;
  const words = wordsOf(name).join(' ');
  if (
    /^(partner|partners|partenaire|partenaires|socio|implementing partner)( [a-z]{1,3})?( \d+)*$/.test(
      words,
    )
  ) {
    return true;
  }
  if (/^partenaires? cat\b/.test(words) || /\bredacted\b/.test(words)) return true;
  return crsCategoryNames().has(n);
}

/**
 * A mention as RefEvidenceBuilder tallies it (`reporting|ref|name`: the raw ref, the first
 * name): the id under which its resolution is primed and recorded. A ref may itself hold a `|`
 * (a real file gives `DK-CVR-DK-CVR | Danish Central Busine`): there it is written `\|`, and a
 * backslash `\\`, so that the id reads back as it was written (`parseTallyId`); the name is
 * the rest. The ids of refs without either are as they always were, so the tallies that sources
 * keep in the graph still match.
 */
export const tallyId = (m: { ref?: string; name?: string; reporting: boolean }) =>
  `${m.reporting ? 1 : 0}|${(m.ref ?? '').replace(/[\\|]/g, '\\$&')}|${m.name ?? ''}`;

/** The parts of a tally id (`tallyId`). */
export function parseTallyId(id: string): { reporting: boolean; ref: string; name: string } {
  const parts = /^([01])\|((?:[^\\|]|\\[\s\S])*)\|([\s\S]*)$/.exec(id);
  if (!parts) return { reporting: false, ref: '', name: id };
  return {
    reporting: parts[1] === '1',
    ref: (parts[2] ?? '').replace(/\\([\s\S])/g, '$1'),
    name: parts[3] ?? '',
  };
}

/**
 * Gathers, over every activity of an import (first pass), what `RefEvidence` needs: activity
 * identifiers, and the names each ref is given — apart for reporting organisations, whose name
 * for their own ref is how they call themselves.
 */
export class RefEvidenceBuilder {
  private readonly activities = new Set<string>();
  /** `reporting|ref|name` → how often. */
  private readonly names = new Map<string, number>();

  addActivity(
    identifier: string,
    mentions: readonly { ref?: string; name?: string; reporting: boolean }[],
  ) {
    this.activities.add(identifier);
    for (const m of mentions) {
      if (!m.name && !m.ref) continue;
      const k = tallyId(m);
      this.names.set(k, (this.names.get(k) ?? 0) + 1);
    }
  }

  /**
   * The distinct mentions gathered (`reporting|ref|name`) with how often each was seen: what a
   * source keeps of its mentions, so that a later import resolves over them too.
   */
  tally(): [string, number][] {
    return [...this.names].sort((a, b) => a[0].localeCompare(b[0]));
  }

  /** Adds mentions gathered elsewhere (another source's tally, another file's builder). */
  addTally(entries: Iterable<readonly [string, number]>): this {
    for (const [k, n] of entries) this.names.set(k, (this.names.get(k) ?? 0) + n);
    return this;
  }

  /**
   * Every distinct mention of the import in one order that does not depend on the order of the
   * files or activities: reporting organisations first, mentions with a ref before those
   * without, the most frequent first, then by ref and name. Resolving them in this order before
   * the files are written gives every organisation the same key and name whatever the order.
   */
  canonicalMentions(): { ref?: string; names: string[]; tally: string }[] {
    return [...this.names]
      .map(([k, count]) => ({ ...parseTallyId(k), count, tally: k }))
      .sort(
        (a, b) =>
          Number(b.reporting) - Number(a.reporting) ||
          Number(b.ref !== '') - Number(a.ref !== '') ||
          b.count - a.count ||
          a.ref.localeCompare(b.ref) ||
          a.name.localeCompare(b.name),
      )
      .map((m) => ({
        ...(m.ref ? { ref: m.ref } : {}),
        names: m.name ? [m.name] : [],
        tally: m.tally,
      }));
  }

  /** `known`: the graph's organisations, whose names count after the reporting ones. */
  build(known: readonly { iatiRef?: string | null; name: string }[] = []): RefEvidence {
    const tallies = new Map<string, { reporting: Map<string, number>; any: Map<string, number> }>();
    for (const [k, n] of this.names) {
      const { reporting, ref: raw, name: text } = parseTallyId(k);
      const verdict = judgeRef(raw, this.activities);
      if (verdict.kind !== 'identifier' || text === '') continue;
      const t = tallies.get(verdict.ref) ?? { reporting: new Map(), any: new Map() };
      tallies.set(verdict.ref, t);
      if (reporting) t.reporting.set(text, (t.reporting.get(text) ?? 0) + n);
      t.any.set(text, (t.any.get(text) ?? 0) + n);
    }
    const graph = new Map<string, string>();
    for (const o of known) {
      if (!o.iatiRef) continue;
      const verdict = judgeRef(o.iatiRef, this.activities);
      if (verdict.kind === 'identifier') graph.set(verdict.ref, o.name);
    }
    const most = (m: Map<string, number>) =>
      [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    const ownNames = new Map<string, string>(graph);
    for (const [ref, t] of tallies) {
      const own = most(t.reporting) ?? graph.get(ref) ?? most(t.any);
      if (own !== undefined) ownNames.set(ref, own);
    }
    const owners = new Map<string, string>();
    for (const [ref, name] of ownNames) owners.set(nameKey(name), ref);
    return { activities: this.activities, ownNames, owners };
  }
}
