/**
 * The IATI flow end to end: read and check every file first, activity by activity (a file that
 * is no IATI activity file refuses the import; with `strict`, any problem does), resolve
 * organisations against the graph, turn each file's accepted activities into graph rows, and
 * hand them to the one writer file by file — a small file in one transaction, a large one in
 * batches. A file is one Source (keyed by its file name), so re-importing it changes nothing
 * and a newer version replaces what the older one said.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { ImportValidationError, type Problem } from '../../errors/expected.js';
import { knownOrganisations, knownProgrammes, recordedMerges } from '../../store/known-entities.js';
import { NODE_LABELS } from '../../model/index.js';
import type { GraphRows } from '../graph-rows.js';
import { loadKeepApart, loadSameAs, type KeepApart, type SameAs } from '../resolve/keep-apart.js';
import { RefEvidenceBuilder } from '../resolve/refs.js';
import { OrganisationResolver, type MergeRecord } from '../resolve/organisations.js';
import { BatchedSourceWrite, writeGraphs, type ImportSummary } from '../writer.js';
import { mentionsForEvidence, type IatiActivity } from './activity.js';
import { refuseIfAny, scanIatiFile, type AcceptanceCounts, type ScannedFile } from './read-file.js';
import { iatiGraphRows, type IatiSource } from './to-graph-rows.js';

export interface IatiImportSummary extends ImportSummary {
  files: number;
  /** Activities imported. */
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

export interface Progress {
  /** Activities checked so far in `file` (first pass). */
  reading(file: string, activities: number): void;
  done(file: string, activities: number): void;
  /** Activities written so far in `file` (large files, written in batches). */
  writing?(file: string, activities: number): void;
}

/** Files and folders (all their .xml and .xml.gz files, in name order) and URLs, as one list of inputs. */
export function expandInputs(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    if (/^https?:\/\//i.test(input)) return [input];
    try {
      if (statSync(input).isDirectory()) {
        return readdirSync(input)
          .filter((f) => /\.xml(\.gz)?$/i.test(f))
          .sort()
          .map((f) => path.join(input, f));
      }
    } catch {
      // Missing: readIatiFile reports it.
    }
    return [input];
  });
}

/** The Source key of a file: its name, as a slug (`iati-` + name without `.xml` or `.xml.gz`). */
export const sourceKeyOf = (name: string) =>
  `iati-${name
    .replace(/\.xml(\.gz)?$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}`;

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
  }: ImportOptions = {},
): Promise<IatiImportSummary> {
  const started = Date.now();
  const files = expandInputs(inputs);
  if (files.length === 0) {
    throw new ImportValidationError([
      {
        file: inputs.join(' '),
        what: 'no .xml or .xml.gz file',
        why: 'give IATI activity files or folders that hold them',
      },
    ]);
  }
  // First pass: check every file, keeping only identifiers and problems; nothing is written.
  const refusals: Problem[] = [];
  // What all files say about refs, gathered before any mention is resolved (resolve/refs.ts).
  const evidence = new RefEvidenceBuilder();
  const problems: Problem[] = [];
  const scanned: { input: string; file: ScannedFile }[] = [];
  for (const input of files) {
    try {
      const file = await scanIatiFile(input, (a, i) => {
        evidence.addActivity(a.identifier, mentionsForEvidence(a));
        progress?.reading(input, i + 1);
      });
      progress?.done(input, file.counts.activities);
      scanned.push({ input, file });
      problems.push(...file.problems);
    } catch (error) {
      if (!(error instanceof ImportValidationError)) throw error;
      refusals.push(...error.problems);
    }
  }
  const bySource = new Map<string, string>();
  for (const { file } of scanned) {
    const key = sourceKeyOf(file.name);
    const earlier = bySource.get(key);
    if (earlier) {
      refusals.push({
        file: file.display,
        what: `same file name as ${earlier}`,
        why: 'a file is one source, named by its file name',
      });
    }
    bySource.set(key, file.display);
  }
  if (report) writeReport(report, [...refusals, ...problems]);
  // A file that is no IATI activity file refuses the import; with --strict, any problem does.
  refuseIfAny(strict ? [...refusals, ...problems] : refusals);

  // Second pass: resolve and write, file by file.
  const known = await knownOrganisations(driver, database);
  const inGraph = await knownProgrammes(driver, database);
  inGraph.forEach((key) => evidence.addActivity(key, []));
  const resolver = new OrganisationResolver(known, keepApart, evidence.build(known), sameAs);
  resolver.prime(evidence.canonicalMentions());
  const programmes = new Set(inGraph);
  for (const { file } of scanned) file.identifiers.forEach((id) => programmes.add(id));
  const earlierMerges = await recordedMerges(driver, database);
  const totals = {
    ...emptyCounts(),
    activities: 0,
    transactions: 0,
    budgets: 0,
    organisations: new Set<string>(),
  };
  for (const { input, file } of scanned) {
    await writeFile(input, file);
  }
  const sum = (of: (c: AcceptanceCounts) => number) =>
    scanned.reduce((n, { file }) => n + of(file.counts), 0);
  return {
    sources: scanned.map(({ file }) => sourceKeyOf(file.name)),
    nodesCreated: totals.nodesCreated,
    nodesDeleted: totals.nodesDeleted,
    relationshipsCreated: totals.relationshipsCreated,
    relationshipsDeleted: totals.relationshipsDeleted,
    propertiesSet: totals.propertiesSet,
    files: scanned.length,
    activities: totals.activities,
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

  /**
   * One file: in one transaction when it holds at most `batchActivities` activities, else in
   * batches (the Source is INCOMPLETE until the last one is written).
   */
  async function writeFile(input: string, scannedFile: ScannedFile) {
    const key = sourceKeyOf(scannedFile.name);
    const mergesBefore = resolver.merges.length;
    let source: IatiSource | undefined;
    const rowsOf = (activities: IatiActivity[]): GraphRows => {
      if (!source) {
        const first = activities[0];
        const publisher = first?.reportingOrg
          ? resolver.resolve({
              ...(first.reportingOrg.ref ? { ref: first.reportingOrg.ref } : {}),
              names: first.reportingOrg.names.map((n) => n.text),
              where: `${scannedFile.display}:${first.reportingOrg.element.line} ${first.reportingOrg.element.path}`,
            })
          : '';
        const { counts } = scannedFile;
        source = {
          key,
          title: scannedFile.name,
          file: scannedFile.display,
          language: first?.lang ?? 'en',
          publisher,
          activitiesInFile: counts.activities,
          activitiesImported: counts.imported,
          activitiesSkipped: counts.skipped,
          elementsDropped: counts.elementsDropped,
          moneySkipped: counts.moneySkipped,
        };
      }
      const rows = iatiGraphRows(source, activities, resolver, programmes);
      totals.activities += activities.length;
      totals.transactions += rows.nodes.Transaction.length;
      totals.budgets += rows.nodes.Budget.length;
      rows.nodes.Organisation.forEach((o) => totals.organisations.add(String(o.key)));
      return rows;
    };
    const merges = () => {
      // A join found again keeps the reason first recorded: after the first import the graph
      // knows the ref and the spellings, so the same join would otherwise be found another way.
      const before = new Map((earlierMerges.get(key) ?? []).map((m) => [m.split(' — ')[0], m]));
      return resolver.merges
        .slice(mergesBefore)
        .map(formatMerge)
        .map((m) => before.get(m.split(' — ')[0] ?? '') ?? m);
    };
    const add = (s: ImportSummary) => {
      totals.nodesCreated += s.nodesCreated;
      totals.nodesDeleted += s.nodesDeleted;
      totals.relationshipsCreated += s.relationshipsCreated;
      totals.relationshipsDeleted += s.relationshipsDeleted;
      totals.propertiesSet += s.propertiesSet;
    };

    if (scannedFile.identifiers.length <= batchActivities) {
      const activities: IatiActivity[] = [];
      await scanIatiFile(
        input,
        (a) => {
          activities.push(a);
        },
        scannedFile.schemaProblems,
      );
      const rows = rowsOf(activities);
      const sourceRow = rows.nodes.Source[0];
      if (sourceRow) sourceRow.merges = merges();
      add(await writeGraphs(driver, database, [rows]));
      return;
    }
    const batched = new BatchedSourceWrite(driver, database, key);
    await batched.begin();
    let batch: IatiActivity[] = [];
    let written = 0;
    // Links to activities of a later batch wait until every activity is written.
    const available = new Set(inGraph);
    const deferred: GraphRows['relationships'] = [];
    // A fact two activities state (a parent and its child) keeps the first statement, as it
    // does when the file is written at once.
    const stated = new Set<string>();
    // One batch is written while the next is read and turned into rows, so that the importer's
    // work and Neo4j's overlap on two cores; batches still commit one after another, in order.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (batch.length === 0) return;
      const activities = batch;
      batch = [];
      activities.forEach((a) => available.add(a.identifier));
      const rows = rowsOf(activities);
      // The joins found so far are recorded with every batch: an interrupted import keeps them,
      // so that its re-run records the same reasons as a clean import (see merges()).
      const sourceRow = rows.nodes.Source[0];
      if (sourceRow) sourceRow.merges = merges();
      const ready = rows.relationships.map((all) => {
        const group = { ...all, rows: all.rows.filter((r) => !stated.has(r.fid)) };
        group.rows.forEach((r) => stated.add(r.fid));
        const waits = (label: string, key: string) => label === 'Programme' && !available.has(key);
        const later = new Set(
          group.rows.filter((r) => waits(group.fromLabel, r.from) || waits(group.toLabel, r.to)),
        );
        if (later.size > 0) deferred.push({ ...group, rows: [...later] });
        return { ...group, rows: group.rows.filter((r) => !later.has(r)) };
      });
      await writing;
      const next = batched.write({ ...rows, relationships: ready }).then(() => {
        written += activities.length;
        progress?.writing?.(input, written);
      });
      // Its failure is taken up by the next flush or the end of the file, not left unhandled.
      next.catch(() => undefined);
      writing = next;
    };
    try {
      await scanIatiFile(
        input,
        async (a) => {
          batch.push(a);
          if (batch.length >= batchActivities) await flush();
        },
        scannedFile.schemaProblems,
      );
      await flush();
    } finally {
      // Never leave a write running behind a failed read.
      await writing.catch(() => undefined);
    }
    await writing;
    if (deferred.length > 0) {
      await batched.write({
        source: key,
        nodes: Object.fromEntries(
          NODE_LABELS.map((label) => [label, []]),
        ) as unknown as GraphRows['nodes'],
        relationships: deferred,
      });
    }
    await batched.finish({ merges: merges() });
    add(batched.summary);
  }
}

const emptyCounts = () => ({
  nodesCreated: 0,
  nodesDeleted: 0,
  relationshipsCreated: 0,
  relationshipsDeleted: 0,
  propertiesSet: 0,
});

/** A merge as a reviewer reads it. */
export const formatMerge = (m: MergeRecord) =>
  `${m.where}: "${m.joined}" joined ${m.key} ("${m.into}") — ${m.reason}`;

/**
 * Every problem as one JSON object per line: file, line, column, path, severity (`error`: the
 * activity was left out; `warning`: an element dropped, a transaction or budget skipped, a code
 * mapped; `refused`: the file or import was refused), what, why, activity.
 */
function writeReport(file: string, problems: readonly Problem[]) {
  writeFileSync(
    file,
    problems
      .map((p) =>
        JSON.stringify({
          file: p.file,
          line: p.line ?? null,
          column: p.column ?? null,
          path: p.path ?? null,
          severity: p.severity ?? 'refused',
          what: p.what,
          why: p.why,
          activity: p.activity ?? null,
        }),
      )
      .map((line) => `${line}\n`)
      .join(''),
  );
}
