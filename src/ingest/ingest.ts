/**
 * The page flow end to end: validate every extraction file first (problems of all of them
 * at once), turn each into graph rows, then hand them all to the writer in one transaction.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { projectRoot } from '../config/index.js';
import { countGraph, type GraphCounts } from '../store/graph-stats.js';
import {
  describeKept,
  tryKeepMoneyTotals,
  type KeptTotals,
} from '../store/analyst/money-rollup.js';
import type { GraphRows } from './graph-rows.js';
import { toGraphRows } from './page/to-graph-rows.js';
import { validateExtractionFile } from './page/validate.js';
import { ImportValidationError, type Problem } from '../errors/expected.js';
import { writeGraphs, type ImportSummary } from './writer.js';
import { realignIatiSources } from './iati/import-iati.js';

export const seedsDir = path.join(projectRoot, 'seeds');

/** The extraction files in seeds/, in name order. */
export const defaultSeedFiles = () =>
  readdirSync(seedsDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(seedsDir, f));

export interface SeedResult {
  summary: ImportSummary;
  /** IATI sources written again because their organisations now resolve to the page's. */
  realigned: string[];
  /** The money totals summed for the graph as the import left it (money-rollup.ts). */
  moneyTotals: KeptTotals;
  counts: GraphCounts;
}

/**
 * Validates every file (collecting the problems of all of them) before the database is
 * touched; throws ImportValidationError listing them, leaving the database as it was.
 */
export async function seed(
  driver: Driver,
  database: string,
  files: readonly string[],
  report: (line: string) => void = () => {},
): Promise<SeedResult> {
  const problems: Problem[] = [];
  const graphs: GraphRows[] = [];
  for (const file of files) {
    try {
      const valid = validateExtractionFile(file);
      graphs.push(toGraphRows(valid));
      report(`valid: ${path.relative(projectRoot, file)} (${valid.facts.length} facts)`);
    } catch (error) {
      if (!(error instanceof ImportValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  problems.push(...crossFileProblems(graphs, files));
  if (problems.length > 0) throw new ImportValidationError(problems);
  const summary = await writeGraphs(driver, database, graphs);
  // IATI sources imported before resolve against the page's organisations as they are now.
  const { rewritten, stale } = await realignIatiSources(driver, database);
  if (rewritten.length > 0) {
    report(`written again, their organisations now resolve to the page's: ${rewritten.join(', ')}`);
  }
  for (const { source, why } of stale) {
    report(
      `warning: ${source} would now resolve some organisations to the page's, but was left as it is: ${why}; import its file again`,
    );
  }
  const moneyTotals = await tryKeepMoneyTotals(driver, database);
  report(describeKept(moneyTotals));
  return { summary, realigned: rewritten, moneyTotals, counts: await countGraph(driver, database) };
}

/** Each file is one source: two files with the same source key would undo each other. */
function crossFileProblems(graphs: GraphRows[], files: readonly string[]): Problem[] {
  const first = new Map<string, string>();
  const problems: Problem[] = [];
  graphs.forEach((graph, i) => {
    const file = path.relative(projectRoot, files[i] ?? '');
    const earlier = first.get(graph.source);
    if (earlier !== undefined) {
      problems.push({
        file,
        path: 'source.key',
        what: `source key "${graph.source}" is also used by ${earlier}`,
        why: 'each file is one source',
      });
    } else first.set(graph.source, file);
  });
  return problems;
}
