/**
 * One IATI file (a path or a URL, `.xml` or `.xml.gz`) → its accepted activities and every
 * problem in it: well-formed XML and an `<iati-activities>` root for the file; for each
 * activity its version (2.01–2.03), the official schema, codes in the codelists, and what the
 * graph needs — each problem costing the smallest part it breaks (acceptance.ts). Streamed;
 * nothing is written.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImportValidationError, type Problem } from '../../errors/expected.js';
import { applyDecisions, decide } from './acceptance.js';
import { readActivity, type Cost, type IatiActivity } from './activity.js';
import { SchemaValidator } from './schema-validation.js';
import { readXml, type TopLevelElement, type XmlRoot } from './xml-reader.js';

/** How many activities, elements, transactions and budgets a scan took, dropped or skipped. */
export interface AcceptanceCounts {
  /** Activities in the file. */
  activities: number;
  imported: number;
  skipped: number;
  /** Elements dropped from imported activities (a sector without its code, an unknown code…). */
  elementsDropped: number;
  /** Transactions and budgets skipped (no usable value, currency, type or date). */
  moneySkipped: number;
  /** Codes read through a well-defined mapping (version-1 letters, alpha-3 countries…). */
  mapped: number;
}

/** What a scan keeps of a file: never its activities, which go to the visitor one by one. */
export interface ScannedFile {
  display: string;
  name: string;
  version: string;
  /** The identifiers of its accepted activities, in file order. */
  identifiers: string[];
  /** Every problem, each with its severity and the activity it is in, in file order. */
  problems: Problem[];
  counts: AcceptanceCounts;
  /**
   * The schema's problems per activity (by position in the file, activities with problems
   * only): a second scan of the same file passes them back instead of validating again.
   */
  schemaProblems: Map<number, Problem[]>;
  /** SHA-256 (hex) of the file's bytes as read (compressed, for a .gz). */
  sha256: string;
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
/** At most this many problems are listed in a refusal (the count says how many there were). */
const MAX_LISTED = 200;

/** `.xml.gz` (by name or by gzip's magic bytes) is read through gunzip as a stream. */
const GZIP_NAME = /\.gz$/i;

/** The activity's own version: d-portal's and the Datastore's attributes, else the file's. */
const activityVersion = (attrs: Record<string, string>, fileVersion: string) =>
  (attrs['iati-activities:version'] ?? attrs.version ?? fileVersion).trim();

interface Opened {
  stream: Readable;
  display: string;
  name: string;
  /** Fed with the bytes as they are read; digest them once the stream has ended. */
  hash: Hash;
}

async function open(input: string): Promise<Opened> {
  const hash = createHash('sha256');
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
    return {
      stream: unpacked(hashed(Readable.fromWeb(response.body as never), hash), name),
      display: input,
      name,
      hash,
    };
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
  const name = path.basename(input);
  return { stream: unpacked(hashed(createReadStream(input), hash), name), display, name, hash };
}

/** The bytes of `stream`, unchanged, each chunk also fed to `hash`. */
function hashed(stream: Readable, hash: Hash): Readable {
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  stream.on('error', (error) => tap.destroy(error));
  return stream.pipe(tap);
}

/** A `.gz` file's bytes through gunzip, streamed (registry dumps come compressed). */
function unpacked(stream: Readable, name: string): Readable {
  if (!GZIP_NAME.test(name)) return stream;
  const gunzip = createGunzip();
  stream.on('error', (error) => gunzip.destroy(error));
  return stream.pipe(gunzip);
}

/**
 * Reads a whole file into memory: for small files and tests (imports use scanIatiFile). With
 * `strict` (the default), any problem refuses the file, every problem listed.
 */
export async function readIatiFile(input: string, strict = true): Promise<IatiFile> {
  const activities: IatiActivity[] = [];
  const scanned = await scanIatiFile(input, (a) => {
    activities.push(a);
  });
  if (strict) refuseIfAny(scanned.problems);
  return { ...scanned, activities };
}

/** Throws ImportValidationError listing `problems` (at most MAX_LISTED) when there are any. */
export function refuseIfAny(problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  const listed = problems.slice(0, MAX_LISTED);
  if (problems.length > MAX_LISTED) {
    listed.push({
      file: problems[0]?.file ?? '',
      what: `and ${problems.length - MAX_LISTED} more problems`,
      why: 'fix these first (--report FILE writes them all)',
    });
  }
  throw new ImportValidationError(listed);
}

/**
 * Streams one file and checks each activity on its own — the official schema, the codelists and
 * what the graph needs — and hands each accepted activity, without what was dropped, to `visit`
 * (`visit` may be async: reading waits for it). A file that is not an IATI activity file (not
 * found, not UTF-8, not well-formed XML, another root) throws ImportValidationError; problems
 * inside activities are returned, each with what it cost (acceptance.ts).
 */
export async function scanIatiFile(
  input: string,
  visit: (activity: IatiActivity, index: number) => void | Promise<void>,
  /** From an earlier scan of the same file: its schema problems, not validated again. */
  validated?: Map<number, Problem[]>,
): Promise<ScannedFile> {
  const { stream, display, name, hash } = await open(input);
  const problems: Problem[] = [];
  const identifiers: string[] = [];
  const seen = new Map<string, number>();
  const counts: AcceptanceCounts = {
    activities: 0,
    imported: 0,
    skipped: 0,
    elementsDropped: 0,
    moneySkipped: 0,
    mapped: 0,
  };
  const schema = await SchemaValidator.load();
  const fileProblems = new Set<string>();
  const schemaProblems = new Map<number, Problem[]>();
  let root: XmlRoot | undefined;
  let version = '';
  let refused: Problem | undefined;
  const onCost = (cost: Cost) => {
    if (cost === 'dropped') counts.elementsDropped += 1;
    if (cost === 'skipped') counts.moneySkipped += 1;
    if (cost === 'mapped') counts.mapped += 1;
  };
  try {
    await readXml(stream, display, {
      root(r) {
        root = r;
        version = r.attrs.version?.trim() ?? '';
        if (r.name !== 'iati-activities') {
          refused = {
            file: display,
            line: r.line,
            what: `root element <${r.name}>`,
            why: 'an IATI activity file has an <iati-activities> root (organisation files are not activity files)',
          };
        } else if (version === '') {
          problems.push({
            file: display,
            line: r.line,
            path: 'iati-activities/@version',
            severity: 'warning',
            what: 'no version',
            why: 'each activity is read by its own version attribute, else as 2.03',
          });
        }
      },
      async element(top) {
        if (refused || !root) return;
        if (top.element.name !== 'iati-activity') {
          problems.push({
            file: display,
            line: top.line,
            path: top.element.path,
            severity: 'warning',
            what: `<${top.element.name}> where activities are`,
            why: 'an activity file holds <iati-activity> elements; it is not read',
          });
          return;
        }
        counts.activities += 1;
        const accepted = checkActivity(top, root);
        if (!accepted) {
          counts.skipped += 1;
          return;
        }
        counts.imported += 1;
        identifiers.push(accepted.identifier);
        await visit(accepted, identifiers.length - 1);
      },
    });
  } finally {
    stream.destroy();
  }
  if (refused) throw new ImportValidationError([refused]);
  // A file without activities is still checked (the schema wants one).
  if (root && counts.activities === 0) {
    for (const p of schema.validate(display, root, [])) problems.push({ ...p, severity: 'error' });
  }
  problems.sort((p, q) => (p.line ?? 0) - (q.line ?? 0));
  const sha256 = hash.digest('hex');
  return { display, name, version, identifiers, problems, counts, schemaProblems, sha256 };

  /** One activity checked and read; undefined when it is skipped. */
  function checkActivity(top: TopLevelElement, r: XmlRoot): IatiActivity | undefined {
    const element = top.element;
    const identifier = element.children
      .find((c) => c.name === 'iati-identifier')
      ?.text.replace(/\s+/g, ' ')
      .trim();
    /** The activity is skipped, for `what` and `why`. */
    const skipped = (what: string, why: string, activity = identifier) => {
      problems.push({
        file: display,
        line: element.line,
        column: element.column,
        path: element.path,
        severity: 'error',
        ...(activity ? { activity } : {}),
        what,
        why: `${why}; the activity is skipped`,
      });
      return undefined;
    };
    const own = activityVersion(element.attrs, version);
    if (own !== '' && !SUPPORTED_VERSIONS.includes(own)) {
      return skipped(
        `IATI version "${own}"`,
        `the importer reads IATI ${SUPPORTED_VERSIONS.join(', ')} (version 1 orders and names elements otherwise)`,
      );
    }
    // Validated alone: the schema has no rule across activities, and lines stay exact.
    const position = counts.activities;
    const found = validated ? (validated.get(position) ?? []) : schema.validate(display, r, [top]);
    if (found.length > 0) schemaProblems.set(position, found);
    const decisions = decide(
      element,
      identifier ?? '',
      found.filter((p) => {
        if (p.path !== 'iati-activities') return true;
        // The root's own problem repeats with every activity: reported once.
        if (!fileProblems.has(p.what)) {
          fileProblems.add(p.what);
          problems.push({ ...p, severity: 'warning' });
        }
        return false;
      }),
    );
    for (const d of decisions) {
      problems.push(d.problem);
      const kind = d.consequence.kind;
      if (kind === 'dropped') counts.elementsDropped += 1;
      if (kind === 'skipped') counts.moneySkipped += 1;
      if (kind === 'mapped') counts.mapped += 1;
    }
    if (decisions.some((d) => d.consequence.kind === 'activity skipped')) return undefined;
    applyDecisions(element, decisions);
    const activity = readActivity(
      top,
      display,
      r.attrs['xml:lang'],
      problems,
      onCost,
      own === '' ? '2.03' : own,
    );
    if (!activity) return undefined;
    const earlier = seen.get(activity.identifier);
    if (earlier !== undefined) {
      return skipped(
        `activity ${activity.identifier} is given twice`,
        `also at line ${earlier}: an identifier names one activity`,
        activity.identifier,
      );
    }
    seen.set(activity.identifier, element.line);
    return activity;
  }
}
