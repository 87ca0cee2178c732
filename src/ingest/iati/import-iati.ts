/**
 * The IATI flow end to end: read and check every file first, activity by activity (a file that
 * is no IATI activity file refuses the import; with `strict`, any problem does); resolve every
 * organisation mention — the files' and those every other IATI source recorded — in one step
 * (resolveAll), so that the order of imports shows nowhere; turn each file's accepted
 * activities into graph rows and hand them to the one writer file by file — a small file in one
 * transaction, a large one in batches. A file is one Source (keyed by its file name), so
 * re-importing it changes nothing and a newer version replaces what the older one said. A file
 * unchanged since its last complete import (the same bytes from the same place, the same
 * importer: ingest/fingerprint.ts, and its mentions resolving as they did) is checked but not
 * written again; `force` writes it. An earlier source whose mentions now resolve differently is
 * written again from its file.
 */
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { ImportValidationError } from '../../errors/expected.js';
import { MERGE_LABEL, NAME_SOURCE_SEPARATOR } from '../../model/index.js';
import {
  knownOrganisations,
  knownProgrammes,
  lastImports,
  recordedMerges,
} from '../../store/known-entities.js';
import {
  recordResolution,
  sourceResolutions,
  type SourceResolution,
} from '../../store/source-resolution.js';
import { importerFingerprint } from '../fingerprint.js';
import { loadKeepApart, loadSameAs, type KeepApart, type SameAs } from '../resolve/keep-apart.js';
import { OrganisationResolver, type MergeRecord } from '../resolve/organisations.js';
import { RefEvidenceBuilder } from '../resolve/refs.js';
import type { ImportSummary } from '../writer.js';
import { checkFiles, sourceKeyOf, type CheckedFile, type Progress } from './check-files.js';
import type { AcceptanceCounts } from './read-file.js';
import { writeIatiFile } from './write-file.js';
import { tryKeepMoneyTotals, type KeptTotals } from '../../store/analyst/money-rollup.js';

export { expandInputs, sourceKeyOf, type Progress } from './check-files.js';
export { formatMerge } from './merges.js';

export interface IatiImportSummary extends ImportSummary {
  /** Files checked and accepted (written, or `unchanged`); `sources` are the ones written. */
  files: number;
  /**
   * Sources whose file was not written again: the same bytes from the same place, imported completely before by
   * the same importer (a re-import would change nothing; `force` writes them anyway).
   */
  unchanged: string[];
  /**
   * Sources imported before, written again because, with the new files' mentions, theirs
   * resolve to other organisation nodes (also listed in `sources`).
   */
  rewritten: string[];
  /** Sources that would resolve differently now but whose file cannot be read as it was. */
  stale: { source: string; why: string }[];
  /** Activities accepted (in the files written and the unchanged ones). */
  activities: number;
  /** Activities left out (see the problems of severity `error`). */
  activitiesSkipped: number;
  /** Elements dropped from imported activities. */
  elementsDropped: number;
  /** Transactions and budgets skipped. */
  moneySkipped: number;
  /** Codes read through a defined mapping (version-1 letters, alpha-3 countries…). */
  mapped: number;
  /** Problems found, of every severity (`--report FILE` lists them). */
  problems: number;
  transactions: number;
  budgets: number;
  organisations: number;
  merges: MergeRecord[];
  /** The money totals summed for the graph as the import left it (money-rollup.ts). */
  moneyTotals: KeptTotals;
  seconds: number;
}

/** What resolving and writing did, before the money totals are summed (importIati). */
type WrittenSummary = Omit<IatiImportSummary, 'moneyTotals'>;

/** Activities per transaction when a file is written in batches. */
export const BATCH_ACTIVITIES = 500;

export interface ImportOptions {
  progress?: Progress;
  /** Activities per transaction when a file is written in batches. */
  batchActivities?: number;
  keepApart?: KeepApart;
  /** Reviewed same-as corrections (default: seeds/resolution/same-as.yaml). */
  sameAs?: SameAs;
  /** Any problem refuses every file, nothing written (the old all-or-nothing). */
  strict?: boolean;
  /** Writes every problem to this file as JSON Lines, whether the import goes ahead or not. */
  report?: string;
  /** Writes files even when unchanged since their last complete import. */
  force?: boolean;
}

export async function importIati(
  driver: Driver,
  database: string,
  inputs: readonly string[],
  {
    progress,
    batchActivities = BATCH_ACTIVITIES,
    keepApart = loadKeepApart(),
    sameAs = loadSameAs(),
    strict = false,
    report,
    force = false,
  }: ImportOptions = {},
): Promise<IatiImportSummary> {
  const started = Date.now();
  const { scanned, problems } = await checkFiles(inputs, {
    progress,
    strict,
    ...(report ? { report } : {}),
  });
  const written = await resolveAndWrite(driver, database, scanned, problems.length, {
    started,
    batchActivities,
    keepApart,
    sameAs,
    force,
    progress,
  });
  // The money totals of the graph as the import left it, summed once it is all written.
  const moneyTotals = await tryKeepMoneyTotals(driver, database);
  return { ...written, moneyTotals, seconds: (Date.now() - started) / 1000 };
}

/**
 * After another source changed the graph (the page, seeded again): the IATI sources whose
 * mentions now resolve to other nodes — a page organisation that now carries their ref — are
 * written again from their files, as if they had been imported after it.
 */
export async function realignIatiSources(
  driver: Driver,
  database: string,
  { progress }: { progress?: Progress } = {},
): Promise<WrittenSummary> {
  return resolveAndWrite(driver, database, [], 0, {
    started: Date.now(),
    batchActivities: BATCH_ACTIVITIES,
    keepApart: loadKeepApart(),
    sameAs: loadSameAs(),
    force: false,
    progress,
  });
}

/** The second pass: resolve over every source's mentions, then write, file by file. */
async function resolveAndWrite(
  driver: Driver,
  database: string,
  scanned: readonly CheckedFile[],
  problems: number,
  {
    started,
    batchActivities,
    keepApart,
    sameAs,
    force,
    progress,
  }: {
    started: number;
    batchActivities: number;
    keepApart: KeepApart;
    sameAs: SameAs;
    force: boolean;
    progress: Progress | undefined;
  },
): Promise<WrittenSummary> {
  const keys = scanned.map(({ file }) => sourceKeyOf(file.name));
  const inGraph = await knownProgrammes(driver, database);
  const { resolver, primed, rewrite, stale } = await resolveAll(driver, database, {
    scanned,
    inGraph,
    keepApart,
    sameAs,
    progress,
  });
  const programmes = new Set(inGraph);
  for (const { file } of scanned) file.identifiers.forEach((id) => programmes.add(id));
  const earlierMerges = await recordedMerges(driver, database);
  const fingerprint = importerFingerprint({ keepApart, sameAs });
  const last = await lastImports(driver, database, keys);
  const records = await sourceResolutions(driver, database);
  const resolvesAsBefore = ({ file, tally }: CheckedFile) => {
    const record = records.get(sourceKeyOf(file.name));
    return (
      record !== undefined &&
      sameResolution(record.tally, record.keys, tally, primed) &&
      record.fileSha256 === file.sha256
    );
  };
  const isUnchanged = (checked: CheckedFile) => {
    const before = last.get(sourceKeyOf(checked.file.name));
    return (
      !force &&
      before?.complete === true &&
      before.file === checked.file.display &&
      before.fileSha256 === checked.file.sha256 &&
      before.importFingerprint === fingerprint &&
      resolvesAsBefore(checked)
    );
  };
  const unchanged = scanned.filter(isUnchanged);
  const toWrite = [...scanned.filter((s) => !unchanged.includes(s)), ...rewrite];
  const totals = {
    ...emptyCounts(),
    transactions: 0,
    budgets: 0,
    organisations: new Set<string>(),
  };
  const context = {
    driver,
    database,
    resolver,
    inGraph,
    programmes,
    earlierMerges,
    totals,
    batchActivities,
    progress,
    fingerprint,
  };
  for (const checked of toWrite) {
    const { input, file, tally } = checked;
    await writeIatiFile(context, input, file);
    const source = sourceKeyOf(file.name);
    const before = records.get(source);
    await recordResolution(driver, database, {
      source,
      tally,
      keys: tally.map(([m]) => primed.get(m) ?? ''),
      location: /^https?:\/\//i.test(input) ? input : path.resolve(input),
      fileSha256: file.sha256,
    });
    if (before && rewrite.includes(checked)) {
      await recordRekeyed(driver, database, source, before, primed);
    }
  }
  const sum = (of: (c: AcceptanceCounts) => number) =>
    scanned.reduce((n, { file }) => n + of(file.counts), 0);
  return {
    sources: toWrite.map(({ file }) => sourceKeyOf(file.name)),
    unchanged: unchanged.map(({ file }) => sourceKeyOf(file.name)),
    rewritten: rewrite.map(({ file }) => sourceKeyOf(file.name)),
    stale,
    nodesCreated: totals.nodesCreated,
    nodesDeleted: totals.nodesDeleted,
    relationshipsCreated: totals.relationshipsCreated,
    relationshipsDeleted: totals.relationshipsDeleted,
    propertiesSet: totals.propertiesSet,
    files: scanned.length,
    activities: sum((c) => c.imported),
    activitiesSkipped: sum((c) => c.skipped),
    elementsDropped: sum((c) => c.elementsDropped),
    moneySkipped: sum((c) => c.moneySkipped),
    mapped: sum((c) => c.mapped),
    problems,
    transactions: totals.transactions,
    budgets: totals.budgets,
    organisations: totals.organisations.size,
    merges: resolver.merges,
    seconds: (Date.now() - started) / 1000,
  };
}

/** True when every mention of a source's tally resolves as `keys` recorded (none new or gone). */
function sameResolution(
  tally: readonly (readonly [string, number])[],
  keys: readonly string[],
  now: readonly (readonly [string, number])[],
  primed: ReadonlyMap<string, string>,
): boolean {
  if (tally.length !== now.length) return false;
  return tally.every(
    ([m, n], i) => now[i]?.[0] === m && now[i]?.[1] === n && (primed.get(m) ?? '') === keys[i],
  );
}

/**
 * One resolution over all mentions — the files' and those every other IATI source recorded —
 * in one canonical order (RefEvidenceBuilder.canonicalMentions), with the organisations of the
 * page and other non-IATI sources as they are in the graph. So the files in any order, imported
 * together or one after another, give every mention the same node. Another source whose
 * mentions now resolve to other nodes is written again from its file (`rewrite`); when that
 * file is gone or has changed, the source is left as it is, out of the resolution (`stale`).
 */
async function resolveAll(
  driver: Driver,
  database: string,
  {
    scanned,
    inGraph,
    keepApart,
    sameAs,
    progress,
  }: {
    scanned: readonly CheckedFile[];
    inGraph: ReadonlySet<string>;
    keepApart: KeepApart;
    sameAs: SameAs;
    progress: Progress | undefined;
  },
) {
  const keys = new Set(scanned.map(({ file }) => sourceKeyOf(file.name)));
  const records = await sourceResolutions(driver, database);
  const stale: { source: string; why: string }[] = [];
  const rewrite = new Map<string, CheckedFile>();
  for (;;) {
    const others = [...records.values()].filter(
      (r) => !keys.has(r.source) && !stale.some((s) => s.source === r.source),
    );
    const known = await knownOrganisations(driver, database, [
      ...keys,
      ...others.map((r) => r.source),
    ]);
    const evidence = new RefEvidenceBuilder();
    inGraph.forEach((key) => evidence.addActivity(key, []));
    for (const { file, tally } of scanned) {
      file.identifiers.forEach((id) => evidence.addActivity(id, []));
      evidence.addTally(tally);
    }
    for (const r of others) evidence.addTally(r.tally);
    const resolver = new OrganisationResolver(known, keepApart, evidence.build(known), sameAs);
    const primed = outcomes(resolver, resolver.prime(evidence.canonicalMentions()));
    const changed = others.filter(
      (r) => !rewrite.has(r.source) && !sameResolution(r.tally, r.keys, r.tally, primed),
    );
    let excluded = false;
    for (const r of changed) {
      const why = await readAgain(r, progress).then(
        (checked) => {
          if (typeof checked === 'string') return checked;
          rewrite.set(r.source, checked);
          return undefined;
        },
        (error: unknown) => {
          if (!(error instanceof ImportValidationError)) throw error;
          return error.problems.map((p) => `${p.what} (${p.why})`).join('; ');
        },
      );
      if (why !== undefined) {
        stale.push({ source: r.source, why });
        excluded = true;
      }
    }
    // Without a source that cannot be written again, the others may resolve as before: again.
    if (excluded) {
      rewrite.clear();
      continue;
    }
    return { resolver, primed, rewrite: [...rewrite.values()], stale };
  }
}

/**
 * What each primed mention became: its node's key, name and ref (what a source's rows say of
 * the node), by tally id. A source whose mentions all become the same as at its last import
 * would write the same rows.
 */
function outcomes(
  resolver: OrganisationResolver,
  keys: ReadonlyMap<string, string>,
): Map<string, string> {
  const sep = NAME_SOURCE_SEPARATOR;
  return new Map(
    [...keys].map(([tally, key]) => {
      const o = resolver.organisation(key);
      return [tally, `${key}${sep}${o?.name ?? ''}${sep}${o?.iatiRef ?? ''}`];
    }),
  );
}

/** The source's file checked again, when it is still there with the same bytes; else why not. */
async function readAgain(
  record: SourceResolution,
  progress: Progress | undefined,
): Promise<CheckedFile | string> {
  const { scanned } = await checkFiles([record.location], {
    ...(progress ? { progress } : {}),
    strict: false,
  });
  const checked = scanned[0];
  if (!checked) return `${record.location} could not be read`;
  if (checked.file.sha256 !== record.fileSha256) {
    return `${record.location} has changed since it was imported`;
  }
  return checked;
}

/**
 * A node a written-again source no longer names because its mentions now resolve elsewhere is
 * recorded as merged into where they went (MERGE_LABEL), so that whoever holds its key (home, a
 * bookmark) can follow it.
 */
async function recordRekeyed(
  driver: Driver,
  database: string,
  source: string,
  before: SourceResolution,
  primed: ReadonlyMap<string, string>,
) {
  const moves = new Map<string, string>();
  const keyOf = (outcome: string | undefined) => outcome?.split(NAME_SOURCE_SEPARATOR)[0] ?? '';
  before.tally.forEach(([m], i) => {
    const from = keyOf(before.keys[i]);
    const into = keyOf(primed.get(m));
    if (from !== '' && into !== '' && from !== into && !moves.has(from)) moves.set(from, into);
  });
  if (moves.size === 0) return;
  await driver.executeQuery(
    `UNWIND $moves AS move
     WITH move WHERE NOT EXISTS { MATCH (:Organisation {key: move.from}) }
       AND EXISTS { MATCH (:Organisation {key: move.into}) }
     CREATE (:${MERGE_LABEL} {from: move.from, into: move.into, at: datetime(),
             why: 'the mentions of ' + $source + ' that it held now resolve to ' + move.into})`,
    { moves: [...moves].map(([from, into]) => ({ from, into })), source },
    { database },
  );
}

const emptyCounts = () => ({
  nodesCreated: 0,
  nodesDeleted: 0,
  relationshipsCreated: 0,
  relationshipsDeleted: 0,
  propertiesSet: 0,
});
