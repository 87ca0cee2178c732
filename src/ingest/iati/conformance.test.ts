/**
 * The IATI Standard's own conformance documents (../shared/iati/conformance): the 215 the
 * schema accepts pass the importer's schema layer, and the 323 it rejects are refused with a
 * located message. (The should-pass documents use placeholder codes such as "xx", which the
 * codelist layer refuses in turn — a separate layer, tested with fixtures of its own.)
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportValidationError, type Problem } from '../../errors/expected.js';
import { readIatiFile } from './read-file.js';

const CONFORMANCE = path.resolve(import.meta.dirname, '../../../../shared/iati/conformance');
const SCHEMA_WHY = 'the file does not follow the IATI 2.03 schema';

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? walk(path.join(dir, e.name))
        : e.name.endsWith('.xml')
          ? [path.join(dir, e.name)]
          : [],
    )
    .sort();

async function problemsOf(file: string): Promise<Problem[]> {
  try {
    await readIatiFile(file);
    return [];
  } catch (error) {
    if (!(error instanceof ImportValidationError)) throw error;
    return error.problems;
  }
}

describe('the IATI conformance documents', () => {
  const pass = walk(path.join(CONFORMANCE, 'should-pass'));
  const fail = walk(path.join(CONFORMANCE, 'should-fail'));

  it('are all there: 215 should pass, 323 should fail', () => {
    expect(pass).toHaveLength(215);
    expect(fail).toHaveLength(323);
  });

  it('should-pass: every one passes the schema layer', async () => {
    const refused: string[] = [];
    for (const file of pass) {
      const schemaProblems = (await problemsOf(file)).filter((p) => p.why.startsWith(SCHEMA_WHY));
      if (schemaProblems.length > 0) refused.push(`${file}: ${schemaProblems[0]?.what}`);
    }
    expect(refused).toEqual([]);
  });

  it('should-fail: every one is refused, each problem located at a line of the file', async () => {
    const accepted: string[] = [];
    for (const file of fail) {
      const problems = await problemsOf(file);
      if (problems.length === 0) accepted.push(file);
      for (const p of problems) {
        expect(p.file, file).toBe(path.relative(process.cwd(), file));
        expect(p.line, `${file}: ${p.what}`).toBeGreaterThan(0);
      }
    }
    expect(accepted).toEqual([]);
  });
});
