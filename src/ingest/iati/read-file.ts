/**
 * One IATI file (a path or a URL) → its activities, or every problem in it: well-formed XML,
 * an `<iati-activities>` root of version 2.01–2.03, valid against the official schema, codes
 * in the codelists, and what the graph needs of each activity. Streamed; nothing is written.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ImportValidationError, type Problem } from '../../errors/expected.js';
import { readActivity, type IatiActivity } from './activity.js';
import { SchemaValidator } from './schema-validation.js';
import { readXml, type TopLevelElement, type XmlRoot } from './xml-reader.js';

/** What a scan keeps of a file: never its activities, which go to the visitor one by one. */
export interface ScannedFile {
  display: string;
  name: string;
  version: string;
  /** The identifiers of its activities, in file order. */
  identifiers: string[];
}

export interface IatiFile {
  /** As the user gave it (a path relative to the working folder, or the URL). */
  display: string;
  /** File name without folders, e.g. `nl-kvk-41198890-activities.xml`. */
  name: string;
  version: string;
  activities: IatiActivity[];
}

const SUPPORTED_VERSIONS = ['2.01', '2.02', '2.03'];
/** Schema validation runs on batches of top-level elements of about this many characters. */
const BATCH_CHARS = 2_000_000;
/** At most this many problems are listed per file (the count says how many there were). */
const MAX_LISTED = 200;

async function open(input: string): Promise<{ stream: Readable; display: string; name: string }> {
  if (/^https?:\/\//i.test(input)) {
    const response = await fetch(input).catch((error: unknown) => {
      throw new ImportValidationError([
        {
          file: input,
          what: 'cannot be fetched',
          why: error instanceof Error ? error.message : String(error),
        },
      ]);
    });
    if (!response.ok || !response.body) {
      throw new ImportValidationError([
        { file: input, what: `HTTP ${response.status}`, why: 'the URL does not give a file' },
      ]);
    }
    const name = path.posix.basename(new URL(input).pathname) || 'download.xml';
    return { stream: Readable.fromWeb(response.body as never), display: input, name };
  }
  const display = path.relative(process.cwd(), input) || input;
  if (!existsSync(input)) {
    throw new ImportValidationError([
      { file: display, what: 'file not found', why: 'nothing to import' },
    ]);
  }
  if (!statSync(input).isFile()) {
    throw new ImportValidationError([
      {
        file: display,
        what: 'not a file',
        why: 'give an IATI XML file, or a folder to import all of its .xml files',
      },
    ]);
  }
  return { stream: createReadStream(input), display, name: path.basename(input) };
}

/** Reads a whole file into memory: for small files and tests (imports use scanIatiFile). */
export async function readIatiFile(input: string): Promise<IatiFile> {
  const activities: IatiActivity[] = [];
  const scanned = await scanIatiFile(input, (a) => {
    activities.push(a);
  });
  return { ...scanned, activities };
}

/**
 * Streams one file, checking everything, and hands each activity to `visit` as it is read
 * (`visit` may be async: reading waits for it). Throws ImportValidationError with every problem
 * of the file, after the whole file has been read: a visitor that writes is only to be used
 * once a first scan has found no problem.
 */
export async function scanIatiFile(
  input: string,
  visit: (activity: IatiActivity, index: number) => void | Promise<void>,
): Promise<ScannedFile> {
  const { stream, display, name } = await open(input);
  const problems: Problem[] = [];
  const identifiers: string[] = [];
  const seen = new Map<string, number>();
  const schema = await SchemaValidator.load();
  let root: XmlRoot | undefined;
  let batch: TopLevelElement[] = [];
  let batchChars = 0;
  let version = '';
  const flush = () => {
    if (!root || batch.length === 0) return;
    problems.push(...schema.validate(display, root, batch));
    batch = [];
    batchChars = 0;
  };
  try {
    await readXml(stream, display, {
      root(r) {
        root = r;
        version = r.attrs.version?.trim() ?? '';
        if (r.name !== 'iati-activities') {
          problems.push({
            file: display,
            line: r.line,
            what: `root element <${r.name}>`,
            why: 'an IATI activity file has an <iati-activities> root (organisation files are not activity files)',
          });
        } else if (!SUPPORTED_VERSIONS.includes(version)) {
          problems.push({
            file: display,
            line: r.line,
            path: 'iati-activities/@version',
            what: `version "${version}"`,
            why: `the importer reads IATI ${SUPPORTED_VERSIONS.join(', ')}`,
          });
        }
      },
      async element(top) {
        batch.push(top);
        batchChars += top.xml.length;
        if (batchChars >= BATCH_CHARS) flush();
        if (top.element.name !== 'iati-activity') return;
        const activity = readActivity(top, display, root?.attrs['xml:lang'], problems);
        const earlier = seen.get(activity.identifier);
        if (earlier !== undefined && activity.identifier !== '') {
          problems.push({
            file: display,
            line: activity.element.line,
            column: activity.element.column,
            path: activity.element.path,
            what: `activity ${activity.identifier} is given twice`,
            why: `also at line ${earlier}: an identifier names one activity`,
          });
        }
        seen.set(activity.identifier, activity.element.line);
        identifiers.push(activity.identifier);
        await visit(activity, identifiers.length - 1);
      },
    });
  } finally {
    stream.destroy();
  }
  // A file without top-level elements is still checked (the schema wants an activity).
  if (root && batch.length === 0 && identifiers.length === 0) {
    problems.push(...schema.validate(display, root, []));
  }
  flush();
  if (problems.length > 0) {
    problems.sort((p, q) => (p.line ?? 0) - (q.line ?? 0));
    const listed = problems.slice(0, MAX_LISTED);
    if (problems.length > MAX_LISTED) {
      listed.push({
        file: display,
        what: `and ${problems.length - MAX_LISTED} more problems`,
        why: 'fix these first',
      });
    }
    throw new ImportValidationError(listed);
  }
  return { display, name, version, identifiers };
}
