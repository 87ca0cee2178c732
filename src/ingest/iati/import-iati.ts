/**
 * The IATI flow end to end: read and check every file first, activity by activity (a file that
 * is no IATI activity file refuses the import; with `strict`, any problem does), resolve
 * organisations against the graph, turn each file's accepted activities into graph rows, and
 * hand them to the one writer file by file — a small file in one transaction, a large one in
 * batches. A file is one Source (keyed by its file name), so re-importing it changes nothing
 * and a newer version replaces what the older one said. A file unchanged since its last
 * complete import (the same bytes from the same place, the same importer: ingest/fingerprint.ts)
 * is checked but not written again; `force` writes it. Organisations that only the files being
 * imported name are resolved from the files, as at their first import, not from the graph.
 */
import type { Driver } from 'neo4j-driver';
import {
  knownOrganisations,
  knownProgrammes,
  lastImports,
  recordedMerges,
} from '../../store/known-entities.js';
import { importerFingerprint } from '../fingerprint.js';
import { loadKeepApart, loadSameAs, type KeepApart, type SameAs } from '../resolve/keep-apart.js';
import { OrganisationResolver, type MergeRecord } from '../resolve/organisations.js';
import type { ImportSummary } from '../writer.js';
import { checkFiles, sourceKeyOf, type Progress } from './check-files.js';
import type { AcceptanceCounts } from './read-file.js';
import { writeIatiFile } from './write-file.js';

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
  seconds: number;
}

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
  const { scanned, problems, evidence } = await checkFiles(inputs, {
    progress,
    strict,
    ...(report ? { report } : {}),
  });

  // Second pass: resolve and write, file by file.
  const keys = scanned.map(({ file }) => sourceKeyOf(file.name));
  const known = await knownOrganisations(driver, database, keys);
  const inGraph = await knownProgrammes(driver, database);
  inGraph.forEach((key) => evidence.addActivity(key, []));
  const resolver = new OrganisationResolver(known, keepApart, evidence.build(known), sameAs);
  resolver.prime(evidence.canonicalMentions());
  const programmes = new Set(inGraph);
  for (const { file } of scanned) file.identifiers.forEach((id) => programmes.add(id));
  const earlierMerges = await recordedMerges(driver, database);
  const fingerprint = importerFingerprint({ keepApart, sameAs });
  const last = await lastImports(driver, database, keys);
  const isUnchanged = ({ file }: (typeof scanned)[number]) => {
    const before = last.get(sourceKeyOf(file.name));
    return (
      !force &&
      before?.complete === true &&
      before.file === file.display &&
      before.fileSha256 === file.sha256 &&
      before.importFingerprint === fingerprint
    );
  };
  const unchanged = scanned.filter(isUnchanged);
  const toWrite = scanned.filter((s) => !unchanged.includes(s));
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
  for (const { input, file } of toWrite) await writeIatiFile(context, input, file);
  const sum = (of: (c: AcceptanceCounts) => number) =>
    scanned.reduce((n, { file }) => n + of(file.counts), 0);
  return {
    sources: toWrite.map(({ file }) => sourceKeyOf(file.name)),
    unchanged: unchanged.map(({ file }) => sourceKeyOf(file.name)),
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
    problems: problems.length,
    transactions: totals.transactions,
    budgets: totals.budgets,
    organisations: totals.organisations.size,
    merges: resolver.merges,
    seconds: (Date.now() - started) / 1000,
  };
}

const emptyCounts = () => ({
  nodesCreated: 0,
  nodesDeleted: 0,
  relationshipsCreated: 0,
  relationshipsDeleted: 0,
  propertiesSet: 0,
});
