/**
 * sources → validation → **resolution** → graph rows → writer. One node per real organisation,
 * however sources spell it. First, what a mention's `ref` is worth (refs.ts): evidence only when
 * it is an organisation identifier (repaired where the codelists allow) and the mention's name
 * is that identifier's organisation — not a country office carrying its parent's ref ("Cordaid
 * Ethiopia" with Cordaid's), not another organisation's name. Placeholders ("N/A", "local
 * partners") become unnamed groups scoped to their activity. Then a mention joins:
 *   1. by IATI ref (trimmed, case-insensitive): the same ref is the same organisation;
 *   2. by name, normalised (case, accents, punctuation, hyphens, spacing) and without a legal
 *      form ("Stichting …", "… vzw", "… e.V.", "… Ltd"…) — unless both carry different refs;
 *   3. by an acronym that a full name carries in parentheses ("Terre des Hommes (TdH)") —
 *      only when exactly one organisation carries it.
 * Names that are merely similar ("Plan International" and "Plan International Nederland")
 * never join. Every join is recorded with the names it joined and why, for review.
 * Pure: the organisations already in the graph and the import's ref evidence are passed in.
 */
import { createHash } from 'node:crypto';
import { countriesNamed } from '../../countries/index.js';
import { normaliseName } from '../../model/index.js';
import type { KnownOrganisation } from '../../store/known-entities.js';
import { acronymOf, nameKey, wordsOf } from './name-keys.js';
import { isPlaceholderName, judgeRef, type RefEvidence, type RefVerdict } from './refs.js';

export { acronymOf, nameKey } from './name-keys.js';

export interface Mention {
  ref?: string;
  names: readonly string[];
  /** Where the mention is, for the merge record: `file:line path`. */
  where: string;
  /** The activity it is in: a placeholder ("N/A", "local partners") is scoped to it. */
  activity?: string;
  /**
   * Its id in the import's tally (refs.ts tallyId): a mention primed under this id resolves to
   * the key priming gave it, whatever was resolved between (see prime).
   */
  tally?: string;
}

export type MergeReason = 'same IATI ref' | 'same name' | 'acronym';

/** How a mention's name stands to the own name of the identifier it carries. */
type Relation = 'same' | 'country office' | 'variant' | 'unrelated';

export interface MergeRecord {
  key: string;
  /** The organisation's name when it was joined. */
  into: string;
  /** The mention's spelling (name, or ref when it has no name). */
  joined: string;
  reason: MergeReason;
  where: string;
}

const refKey = (ref: string) => ref.replace(/\s+/g, '').toUpperCase();

/** Keys stay short: a longer slug (a sentence typed where a name goes) ends in a hash of it. */
const MAX_KEY = 100;

/** A stable key for a new organisation: from its ref, else from its name. */
export function newOrganisationKey(mention: Mention): string {
  const slug = (s: string) => {
    const full = s
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    if (full.length <= MAX_KEY) return full;
    const hash = createHash('sha256').update(full).digest('hex').slice(0, 12);
    return `${full.slice(0, MAX_KEY - 13).replace(/-+$/, '')}-${hash}`;
  };
  if (mention.ref) return slug(refKey(mention.ref)) || 'org';
  return `org-${slug(mention.names[0] ?? '') || 'unnamed'}`;
}

export class OrganisationResolver {
  private readonly byRef = new Map<string, string>();
  private readonly byName = new Map<string, Set<string>>();
  private readonly byAcronym = new Map<string, Set<string>>();
  private readonly known = new Map<string, KnownOrganisation>();
  readonly merges: MergeRecord[] = [];
  private readonly recorded = new Set<string>();

  /**
   * `keepApart`: pairs of organisations (each named by an IATI ref or a name) that must never
   * be joined — how a person reverses a join that `npm run iati:merges` showed to be wrong.
   */
  private readonly verdicts = new Map<string, RefVerdict>();
  /** Placeholders by activity and name: never joined across activities. */
  private readonly placeholders = new Map<string, string>();
  /** The keys of placeholder organisations (unnamed groups). */
  readonly unnamed = new Set<string>();

  constructor(
    existing: readonly KnownOrganisation[],
    private readonly keepApart: readonly (readonly [string, string])[] = [],
    private readonly evidence: RefEvidence = {
      activities: new Set(),
      ownNames: new Map(),
      owners: new Map(),
    },
    /** Reviewed corrections: a mention of the first (ref or name) is the second. */
    private readonly sameAs: readonly (readonly [string, string])[] = [],
  ) {
    for (const o of existing) this.register(o);
  }

  /**
   * The ref as evidence of this mention's identity: repaired when the codelists allow it;
   * undefined when it is no organisation identifier, or when it is the identifier of another
   * organisation than the mention names (a country office carrying its parent's ref, a ref a
   * publisher gave to someone else). The raw ref stays in the mention's quote.
   */
  private evidentRef(mention: Mention): string | undefined {
    if (!mention.ref) return undefined;
    // Every mention is weighed, and a file repeats its refs: each raw ref is judged once.
    let verdict = this.verdicts.get(mention.ref);
    if (!verdict) {
      verdict = judgeRef(mention.ref, this.evidence.activities);
      this.verdicts.set(mention.ref, verdict);
    }
    if (verdict.kind !== 'identifier') return undefined;
    const own = this.evidence.ownNames.get(verdict.ref);
    const name = mention.names[0];
    if (own === undefined || name === undefined) return verdict.ref;
    const relation = relationOf(name, own);
    if (relation === 'same' || relation === 'variant') return verdict.ref;
    if (relation === 'country office') return undefined;
    // Unrelated names (another language, a description typed as a name) keep the ref, unless
    // the name is another organisation's: then the publisher gave it someone else's ref.
    const owner = this.evidence.owners.get(nameKey(name));
    const known = [...(this.byName.get(nameKey(name)) ?? [])].map((k) => this.known.get(k));
    const elsewhere =
      (owner !== undefined && owner !== verdict.ref) ||
      known.some((o) => o?.iatiRef && refKey(o.iatiRef) !== refKey(verdict.ref));
    return elsewhere ? undefined : verdict.ref;
  }

  /**
   * True when a keep-apart pair names the mention on one side and organisation `key` on the
   * other: the organisation by its own name or ref (not by an alias, which an earlier wrong
   * join may have added), the mention by any of its names or its ref.
   */
  private keptApart(key: string, mention: Mention): boolean {
    const o = this.known.get(key);
    if (!o || this.keepApart.length === 0) return false;
    const ids = (names: readonly string[], ref?: string | null) =>
      new Set([...names.map(nameKey), ...(ref ? [`ref:${refKey(ref)}`] : [])]);
    const m = ids(mention.names, mention.ref);
    const org = ids([o.name], o.iatiRef);
    const has = (set: Set<string>, side: string) =>
      set.has(nameKey(side)) || set.has(`ref:${refKey(side)}`);
    return this.keepApart.some(
      ([a, b]) =>
        (has(m, a) && has(org, b) && !has(org, a)) || (has(m, b) && has(org, a) && !has(org, b)),
    );
  }

  /** Every organisation known now (the graph's and this import's new ones). */
  organisation(key: string): KnownOrganisation | undefined {
    return this.known.get(key);
  }

  private register(o: KnownOrganisation) {
    this.known.set(o.key, o);
    if (o.iatiRef) this.byRef.set(refKey(o.iatiRef), o.key);
    for (const name of [o.name, ...o.names]) {
      const add = (index: Map<string, Set<string>>, k: string | undefined) => {
        if (k) index.set(k, (index.get(k) ?? new Set()).add(o.key));
      };
      add(this.byName, nameKey(name));
      add(this.byAcronym, acronymOf(name));
    }
  }

  /**
   * Resolves every distinct mention of the import, in an order of its own (see
   * RefEvidenceBuilder.canonicalMentions), before any file is turned into rows: which node a
   * mention joins, and the key and name of a new node, then depend on what the import and the
   * graph say, not on the order of the files. Placeholders are left to their activities; no
   * join is recorded here (the files' own mentions record theirs). Returns the key each mention
   * that carries a `tally` id (RefEvidenceBuilder) resolved to.
   */
  prime(
    mentions: readonly { ref?: string; names: string[]; tally?: string }[],
  ): Map<string, string> {
    const recording = this.recording;
    this.recording = false;
    try {
      for (const { tally, ...m } of mentions) {
        if (m.names.length === 0 || m.names.every(isPlaceholderName)) continue;
        const key = this.resolve({ ...m, where: 'prime' });
        if (tally !== undefined) this.primedKeys.set(tally, key);
      }
    } finally {
      this.recording = recording;
    }
    return this.primedKeys;
  }

  private recording = true;
  /** The key each primed mention resolved to, by tally id: what its later mentions resolve to. */
  private readonly primedKeys = new Map<string, string>();
  /** The reason of each join found while priming, by `key|spelling`. */
  private readonly primed = new Map<string, MergeReason>();

  /** The key of the organisation `mention` means; registers a new one when none matches. */
  resolve(given: Mention): string {
    // A primed mention is where priming put it: joins found while the files are written (names
    // absorbed in file order) never change it, so its node does not depend on that order.
    const primed = given.tally === undefined ? undefined : this.primedKeys.get(given.tally);
    if (primed !== undefined && this.recording) {
      this.recordJoin(primed, given, 'same name');
      this.absorb(primed, { ...given, ...(given.ref ? { ref: undefined } : {}) });
      return primed;
    }
    const corrected = this.corrected(given);
    // A reviewed correction is taken as it is; otherwise the ref is weighed (evidentRef).
    const evident = corrected ? corrected.ref : this.evidentRef(given);
    const mention: Mention = { ...(corrected ?? given) };
    if (evident) mention.ref = evident;
    else delete mention.ref;
    if (!evident && mention.names.every(isPlaceholderName)) return this.placeholder(mention);
    const ref = mention.ref ? refKey(mention.ref) : undefined;
    const record = (key: string, reason: MergeReason) => {
      this.recordJoin(key, mention, reason);
      this.absorb(key, mention);
      return key;
    };
    if (ref) {
      const byRef = this.byRef.get(ref);
      // Reported as "same name" when the name agrees too: the same on every import, whether or
      // not an earlier one already gave the organisation this ref.
      if (byRef && !this.keptApart(byRef, mention))
        return record(byRef, this.nameAgrees(byRef, mention) ? 'same name' : 'same IATI ref');
    }
    const compatible = (key: string) => {
      const o = this.known.get(key);
      if (this.keptApart(key, mention)) return false;
      return !ref || !o?.iatiRef || refKey(o.iatiRef) === ref;
    };
    const unique = (keys: Iterable<string> | undefined) => {
      const list = [...(keys ?? [])].filter(compatible);
      return list.length === 1 ? list[0] : undefined;
    };
    for (const name of mention.names) {
      const key = unique(this.byName.get(nameKey(name)));
      if (key) return record(key, 'same name');
    }
    for (const name of mention.names) {
      // "TdH" meets "Terre des Hommes (TdH)", and "Terre des Hommes (TdH)" meets "TdH".
      const key =
        unique(this.byAcronym.get(normaliseName(name))) ??
        unique(this.byName.get(acronymOf(name) ?? ''));
      if (key) return record(key, 'acronym');
    }
    let key = newOrganisationKey(mention);
    // Keys carry no counter: a name that could not join by the rules above (several
    // organisations bear it) is the node keyed by that name — the same on every import.
    const taken = this.known.get(key);
    if (
      taken &&
      !this.keptApart(key, mention) &&
      (!ref || !taken.iatiRef || refKey(taken.iatiRef) === ref)
    ) {
      return record(key, 'same name');
    }
    for (let n = 2; this.known.has(key); n++) key = `${newOrganisationKey(mention)}-${n}`;
    this.register({
      key,
      iatiRef: mention.ref ?? null,
      name: mention.names[0] ?? mention.ref ?? key,
      names: mention.names,
    });
    return key;
  }

  /** Records `mention` joining organisation `key` for review, once per spelling. */
  private recordJoin(key: string, mention: Mention, reason: MergeReason) {
    const o = this.known.get(key);
    const joined = mention.names[0] ?? mention.ref ?? '';
    // Recorded whenever the spelling differs from the organisation's own name, so that every
    // import of the same file records the same joins.
    const spelledAlike = o !== undefined && joined === o.name;
    // One record per spelling joined to an organisation: its first mention, and the reason
    // found there (later mentions of it would be found by the spelling itself).
    const id = `${key}|${joined}`;
    // A join found while priming is recorded, with the reason found then, at the spelling's
    // first mention in the files (by then the spelling itself would be the reason).
    if (!this.recording && !this.primed.has(id)) this.primed.set(id, reason);
    if (this.recording && o && !spelledAlike && !this.recorded.has(id)) {
      this.recorded.add(id);
      this.merges.push({
        key,
        into: o.name,
        joined,
        reason: this.primed.get(id) ?? reason,
        where: mention.where,
      });
    }
  }

  /**
   * The mention as a same-as correction says it is: with the second side's ref, or named by
   * the second side's name; undefined when no correction names it (by ref or name).
   */
  private corrected(mention: Mention): Mention | undefined {
    for (const [a, b] of this.sameAs) {
      const named =
        (mention.ref !== undefined && refKey(mention.ref) === refKey(a)) ||
        mention.names.some((n) => nameKey(n) === nameKey(a));
      if (!named) continue;
      const verdict = judgeRef(b);
      if (verdict.kind === 'identifier') return { ...mention, ref: verdict.ref };
      const byName: Mention = { ...mention, names: [b, ...mention.names] };
      delete byName.ref;
      return byName;
    }
    return undefined;
  }

  /** A placeholder: one unnamed group per activity and spelling, never joined elsewhere. */
  private placeholder(mention: Mention): string {
    const name = mention.names[0] ?? 'unnamed';
    const scope = `${mention.activity ?? mention.where}|${nameKey(name)}`;
    const found = this.placeholders.get(scope);
    if (found) return found;
    const base = newOrganisationKey({
      names: [`unnamed ${mention.activity ?? ''} ${name}`],
      where: mention.where,
    });
    // The key is the activity's and the name's: the same group again (a re-import) is this one.
    const key = base;
    this.placeholders.set(scope, key);
    this.unnamed.add(key);
    // Known (for its name and kind) but not indexed: no later mention joins it by name.
    this.known.set(key, { key, iatiRef: null, name, names: [name] });
    return key;
  }

  private nameAgrees(key: string, mention: Mention): boolean {
    const o = this.known.get(key);
    if (!o) return false;
    const keys = new Set([o.name, ...o.names].map(nameKey));
    return mention.names.some((n) => keys.has(nameKey(n)));
  }

  /** A joined mention adds its ref (if the organisation had none) and its spellings. */
  private absorb(key: string, mention: Mention) {
    const o = this.known.get(key);
    if (!o) return;
    const names = [...new Set([...o.names, ...mention.names])];
    this.register({ ...o, iatiRef: o.iatiRef ?? mention.ref ?? null, names });
  }
}

/**
 * How `name` stands to `own`, the own name of the identifier it carries: the same organisation
 * (the same name, legal form and case aside, or an acronym of it), a country office ("Cordaid
 * Ethiopia" beside "Cordaid": its own organisation), a variant that shares words ("Cordaid
 * Global Office"), or unrelated (another organisation's ref).
 */
export function relationOf(name: string, own: string): Relation {
  const n = wordsOf(name);
  const o = wordsOf(own);
  const same = (a: string[], b: string[]) => a.join(' ') === b.join(' ');
  if (n.length === 0 || o.length === 0 || same(n, o)) return 'same';
  if (acronymOf(own) === normaliseName(name) || acronymOf(name) === normaliseName(o.join(''))) {
    return 'same';
  }
  if (same(n.slice(0, o.length), o)) {
    const rest = n.slice(o.length);
    for (let k = Math.min(4, rest.length); k >= 1; k--) {
      if (countriesNamed(rest.slice(0, k).join(' ')).length === 1) return 'country office';
    }
    return 'variant';
  }
  if (same(o.slice(0, n.length), n)) return 'same';
  const ownWords = new Set(o.filter((w) => w.length > 3));
  return n.some((w) => ownWords.has(w)) ? 'variant' : 'unrelated';
}
