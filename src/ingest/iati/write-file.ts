/**
 * The IATI flow's second pass for one file: its accepted activities read again, turned into
 * graph rows by the shared resolver, and handed to the one writer — in one transaction when
 * the file holds at most `batchActivities` activities, else in batches, one written while the
 * next is read (the Source is INCOMPLETE until the last one is written).
 */
import type { Driver } from 'neo4j-driver';
import { NODE_LABELS } from '../../model/index.js';
import type { GraphRows } from '../graph-rows.js';
import type { OrganisationResolver } from '../resolve/organisations.js';
import { tallyId } from '../resolve/refs.js';
import { BatchedSourceWrite, writeGraphs, type ImportSummary } from '../writer.js';
import type { IatiActivity } from './activity.js';
import { sourceKeyOf, type Progress } from './check-files.js';
import { ImportValidationError } from '../../errors/expected.js';
import { formatMerge } from './merges.js';
import { scanIatiFile, type ScannedFile } from './read-file.js';
import { iatiGraphRows, type IatiSource } from './to-graph-rows.js';

/** What every file's write shares: the database, the resolver, what is known, the totals. */
export interface WriteContext {
  driver: Driver;
  database: string;
  resolver: OrganisationResolver;
  /** Programme keys in the graph before the import. */
  inGraph: ReadonlySet<string>;
  /** Programme keys in the graph or in the import's files. */
  programmes: ReadonlySet<string>;
  /** The joins each Source recorded at its last import (their first reasons are kept). */
  earlierMerges: ReadonlyMap<string, string[]>;
  totals: WriteTotals;
  batchActivities: number;
  progress: Progress | undefined;
  /** The importer's fingerprint, kept on each Source (ingest/fingerprint.ts). */
  fingerprint: string;
}

export interface WriteTotals extends Omit<ImportSummary, 'sources'> {
  transactions: number;
  budgets: number;
  organisations: Set<string>;
}

export async function writeIatiFile(
  ctx: WriteContext,
  input: string,
  scannedFile: ScannedFile,
): Promise<void> {
  const { driver, database, resolver, inGraph, programmes, earlierMerges, totals } = ctx;
  const { batchActivities, progress } = ctx;
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
            tally: tallyId({
              ...(first.reportingOrg.ref ? { ref: first.reportingOrg.ref } : {}),
              ...(first.reportingOrg.names[0] ? { name: first.reportingOrg.names[0].text } : {}),
              reporting: true,
            }),
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
        fileSha256: scannedFile.sha256,
        importFingerprint: ctx.fingerprint,
      };
    }
    const rows = iatiGraphRows(source, activities, resolver, programmes);
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
    const again = await scanIatiFile(
      input,
      (a) => {
        activities.push(a);
      },
      scannedFile.schemaProblems,
    );
    sameBytes(scannedFile, again, 'nothing of it was written');
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
    const again = await scanIatiFile(
      input,
      async (a) => {
        batch.push(a);
        if (batch.length >= batchActivities) await flush();
      },
      scannedFile.schemaProblems,
    );
    await writing;
    sameBytes(scannedFile, again, 'its source stays INCOMPLETE until it is imported again');
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

/** The write pass read what the check pass read, or the import of the file stops. */
function sameBytes(checked: ScannedFile, written: ScannedFile, consequence: string): void {
  if (checked.sha256 === written.sha256) return;
  throw new ImportValidationError([
    {
      file: checked.display,
      what: 'the file changed while it was being imported',
      why: `it was read once to check it and again to write it, and the two reads differ; ${consequence}`,
    },
  ]);
}
