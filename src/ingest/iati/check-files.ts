/**
 * The IATI flow's first pass: every file read and checked activity by activity (read-file.ts),
 * keeping only identifiers, problems and what the mentions say about refs — nothing written.
 * A file that is no IATI activity file (or two files of one name) refuses the import; with
 * `strict`, any problem does. `report` gets every problem as JSON Lines either way.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ImportValidationError, type Problem } from '../../errors/expected.js';
import { IATI_SOURCE_PREFIX } from '../../model/index.js';
import { RefEvidenceBuilder } from '../resolve/refs.js';
import { mentionsForEvidence } from './activity.js';
import { refuseIfAny, scanIatiFile, type ScannedFile } from './read-file.js';

export interface Progress {
  /** Activities checked so far in `file` (first pass). */
  reading(file: string, activities: number): void;
  done(file: string, activities: number): void;
  /** Activities written so far in `file` (large files, written in batches). */
  writing?(file: string, activities: number): void;
}

export interface CheckedFile {
  input: string;
  file: ScannedFile;
  /** The file's distinct organisation mentions and how often each is made (RefEvidenceBuilder). */
  tally: [string, number][];
}

export interface CheckedFiles {
  scanned: CheckedFile[];
  /** Every problem inside the accepted files, in file order. */
  problems: Problem[];
  /** What all files say about refs, gathered before any mention is resolved (resolve/refs.ts). */
  evidence: RefEvidenceBuilder;
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
  `${IATI_SOURCE_PREFIX}${name
    .replace(/\.xml(\.gz)?$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}`;

export async function checkFiles(
  inputs: readonly string[],
  { progress, strict, report }: { progress?: Progress; strict: boolean; report?: string },
): Promise<CheckedFiles> {
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
  const scanned: CheckedFile[] = [];
  for (const input of files) {
    try {
      const own = new RefEvidenceBuilder();
      const file = await scanIatiFile(input, (a, i) => {
        own.addActivity(a.identifier, mentionsForEvidence(a));
        evidence.addActivity(a.identifier, []);
        progress?.reading(input, i + 1);
      });
      progress?.done(input, file.counts.activities);
      const tally = own.tally();
      evidence.addTally(tally);
      scanned.push({ input, file, tally });
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
  return { scanned, problems, evidence };
}

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
