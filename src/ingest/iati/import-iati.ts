/**
 * The IATI flow end to end: read and check every file first (problems of all of them at once,
 * nothing written), resolve organisations against the graph, turn each file into graph rows,
 * and hand them all to the one writer in one transaction. A file is one Source (keyed by its
 * file name), so re-importing it changes nothing and a newer version replaces what the older
 * one said.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { ImportValidationError, type Problem } from '../../errors/expected.js';
import { knownOrganisations, knownProgrammes, recordedMerges } from '../../store/known-entities.js';
import type { GraphRows } from '../graph-rows.js';
import { OrganisationResolver, type MergeRecord } from '../resolve/organisations.js';
import { writeGraphs, type ImportSummary } from '../writer.js';
import { readIatiFile, type IatiFile } from './read-file.js';
import { iatiGraphRows } from './to-graph-rows.js';

export interface IatiImportSummary extends ImportSummary {
  files: number;
  activities: number;
  transactions: number;
  budgets: number;
  organisations: number;
  merges: MergeRecord[];
  seconds: number;
}

export interface Progress {
  /** Activities read so far in `file`. */
  reading(file: string, activities: number): void;
  done(file: string, activities: number): void;
}

/** Files and folders (all their .xml files, in name order) and URLs, as one list of inputs. */
export function expandInputs(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    if (/^https?:\/\//i.test(input)) return [input];
    try {
      if (statSync(input).isDirectory()) {
        return readdirSync(input)
          .filter((f) => f.toLowerCase().endsWith('.xml'))
          .sort()
          .map((f) => path.join(input, f));
      }
    } catch {
      // Missing: readIatiFile reports it.
    }
    return [input];
  });
}

/** The Source key of a file: its name, as a slug (`iati-` + name without `.xml`). */
export const sourceKeyOf = (name: string) =>
  `iati-${name
    .replace(/\.xml$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}`;

export async function importIati(
  driver: Driver,
  database: string,
  inputs: readonly string[],
  progress?: Progress,
): Promise<IatiImportSummary> {
  const started = Date.now();
  const files = expandInputs(inputs);
  if (files.length === 0) {
    throw new ImportValidationError([
      {
        file: inputs.join(' '),
        what: 'no .xml file',
        why: 'give IATI activity files or folders that hold them',
      },
    ]);
  }
  const problems: Problem[] = [];
  const read: IatiFile[] = [];
  for (const input of files) {
    try {
      const file = await readIatiFile(input, (n) => progress?.reading(input, n));
      progress?.done(input, file.activities.length);
      read.push(file);
    } catch (error) {
      if (!(error instanceof ImportValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  const bySource = new Map<string, string>();
  for (const file of read) {
    const key = sourceKeyOf(file.name);
    const earlier = bySource.get(key);
    if (earlier) {
      problems.push({
        file: file.display,
        what: `same file name as ${earlier}`,
        why: 'a file is one source, named by its file name',
      });
    }
    bySource.set(key, file.display);
  }
  if (problems.length > 0) throw new ImportValidationError(problems);

  const resolver = new OrganisationResolver(await knownOrganisations(driver, database));
  const programmes = await knownProgrammes(driver, database);
  const earlierMerges = await recordedMerges(driver, database);
  const graphs: GraphRows[] = read.map((file) => {
    const first = file.activities[0];
    const mergesBefore = resolver.merges.length;
    const publisher = first?.reportingOrg
      ? resolver.resolve({
          ...(first.reportingOrg.ref ? { ref: first.reportingOrg.ref } : {}),
          names: first.reportingOrg.names.map((n) => n.text),
          where: `${file.display}:${first.reportingOrg.element.line} ${first.reportingOrg.element.path}`,
        })
      : '';
    const rows = iatiGraphRows(
      {
        key: sourceKeyOf(file.name),
        title: file.name,
        file: file.display,
        language: first?.lang ?? 'en',
        publisher,
      },
      file.activities,
      resolver,
      programmes,
    );
    // A join found again keeps the reason first recorded: after the first import the graph
    // knows the ref and the spellings, so the same join would otherwise be found another way.
    const before = new Map(
      (earlierMerges.get(sourceKeyOf(file.name)) ?? []).map((m) => [m.split(' — ')[0], m]),
    );
    const merges = resolver.merges
      .slice(mergesBefore)
      .map(formatMerge)
      .map((m) => before.get(m.split(' — ')[0] ?? '') ?? m);
    const source = rows.nodes.Source[0];
    if (source) source.merges = merges;
    return rows;
  });
  const summary = await writeGraphs(driver, database, graphs);
  const count = (label: 'Transaction' | 'Budget' | 'Organisation') =>
    graphs.reduce((n, g) => n + g.nodes[label].length, 0);
  return {
    ...summary,
    files: read.length,
    activities: read.reduce((n, f) => n + f.activities.length, 0),
    transactions: count('Transaction'),
    budgets: count('Budget'),
    organisations: count('Organisation'),
    merges: resolver.merges,
    seconds: (Date.now() - started) / 1000,
  };
}

/** A merge as a reviewer reads it. */
export const formatMerge = (m: MergeRecord) =>
  `${m.where}: "${m.joined}" joined ${m.key} ("${m.into}") — ${m.reason}`;
