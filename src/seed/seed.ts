/** The whole seed flow: validate every file first, then import them all in one transaction. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { projectRoot } from '../config/index.js';
import { toGraphRows, type GraphRows } from './graph.js';
import { countGraph, importGraphs, type ImportSummary } from './import.js';
import { validateExtractionFile } from './validate.js';
import { SeedValidationError, type Problem } from './problems.js';

export const seedsDir = path.join(projectRoot, 'seeds');

/** The extraction files in seeds/, in name order. */
export const defaultSeedFiles = () =>
  readdirSync(seedsDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(seedsDir, f));

export interface SeedResult {
  summary: ImportSummary;
  counts: Awaited<ReturnType<typeof countGraph>>;
}

/**
 * Validates every file (collecting the problems of all of them) before the database is
 * touched; throws SeedValidationError listing them, leaving the database as it was.
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
      if (!(error instanceof SeedValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  problems.push(...crossFileProblems(graphs, files));
  if (problems.length > 0) throw new SeedValidationError(problems);
  const summary = await importGraphs(driver, database, graphs);
  return { summary, counts: await countGraph(driver, database) };
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

/** True when the database holds no node of the model yet (then `npm start` seeds it). */
export async function isGraphEmpty(driver: Driver, database: string): Promise<boolean> {
  const { records } = await driver.executeQuery(
    'MATCH (n) WHERE n:Organisation OR n:Programme RETURN count(n) > 0 AS any',
    {},
    { database },
  );
  return records[0]?.get('any') !== true;
}
