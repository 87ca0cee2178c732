/**
 * Expected failures of the command-line flows (start-up, import, the local Neo4j): each says
 * what is wrong in words a user can act on, is printed as is — never with a stack trace — and
 * ends the process with exit code 1. Anything else is a bug and is logged with its stack.
 */

/** The base of every expected failure; `code` is stable, the message is for people. */
export class ExpectedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The environment does not describe a valid configuration; every problem is listed. */
export class ConfigError extends ExpectedError {
  constructor(readonly problems: string[]) {
    super(
      'INVALID_CONFIG',
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** Why the local Neo4j could not be built, started or stopped. */
export type LocalNeo4jErrorCode =
  | 'JAVA_MISSING'
  | 'MAVEN_MISSING'
  | 'BUILD_FAILED'
  | 'START_FAILED'
  | 'START_TIMEOUT'
  | 'AUTH_FAILED'
  | 'STOP_TIMEOUT';

export class LocalNeo4jError extends ExpectedError {
  declare readonly code: LocalNeo4jErrorCode;
  constructor(code: LocalNeo4jErrorCode, message: string) {
    super(code, message);
  }
}

/** The API cannot start (no home organisation, a schema that does not match the database…). */
export class StartupError extends ExpectedError {
  constructor(message: string) {
    super('STARTUP_FAILED', message);
  }
}

/** An expected failure of an import: where (file, line, column, path), what, and why. */
export interface Problem {
  file: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  column?: number;
  /** Path inside the document, e.g. `relations[4].to`. */
  path?: string;
  what: string;
  why: string;
  /**
   * Where a source is imported part by part (IATI: activity by activity): `error` — the part
   * named by `activity` was left out; `warning` — an element of it was dropped, or a transaction
   * or budget skipped, and the rest imported. Absent: the input as a whole is refused.
   */
  severity?: 'error' | 'warning';
  /** The IATI activity the problem is in. */
  activity?: string;
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.line !== undefined ? p.column : undefined]
    .filter((x) => x !== undefined)
    .join(':');
  const severity = p.severity ? `${p.severity}: ` : '';
  return `${where}${p.path ? ` ${p.path}` : ''}: ${severity}${p.what} — ${p.why}`;
}

export const pathToString = (path: readonly PropertyKey[]) =>
  path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`))
    .join('');

/** Input was rejected; carries every problem found, not just the first. Nothing was written. */
export class ImportValidationError extends ExpectedError {
  constructor(readonly problems: Problem[]) {
    super(
      'INVALID_INPUT',
      `${problems.length} problem${problems.length === 1 ? '' : 's'} found; nothing was written:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
  }
}

/**
 * The boundary of every command: an expected failure is printed as it is, anything else with
 * its stack (through `logUnexpected`, or on stderr); then exit 1.
 */
export function exitOnError(logUnexpected?: (error: unknown) => void) {
  return (error: unknown): never => {
    if (error instanceof ExpectedError) process.stderr.write(`${error.message}\n`);
    else if (logUnexpected) logUnexpected(error);
    else {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`unexpected error: ${text}\n`);
    }
    process.exit(1);
  };
}
