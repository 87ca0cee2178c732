/** An expected failure of an import: where (file, line, path), what, and why. */
export interface Problem {
  file: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  column?: number;
  /** Path inside the document, e.g. `relations[4].to`. */
  path?: string;
  what: string;
  why: string;
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.line !== undefined ? p.column : undefined]
    .filter((x) => x !== undefined)
    .join(':');
  return `${where}${p.path ? ` ${p.path}` : ''}: ${p.what} — ${p.why}`;
}

export const pathToString = (path: readonly PropertyKey[]) =>
  path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`))
    .join('');

/** Thrown when input is rejected; carries every problem found, not just the first. */
export class SeedValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} found; nothing was written:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'SeedValidationError';
  }
}
