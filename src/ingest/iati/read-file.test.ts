/**
 * Compressed files as registry dumps come: `.xml.gz` read through gunzip as a stream, and a
 * `.gz` cut short or not gzip at all refused with a located problem, never a stack trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/index.js';
import { ImportValidationError } from '../../errors/expected.js';
import { scanIatiFile } from './read-file.js';

const PORTFOLIO = path.join(projectRoot, 'test/fixtures/iati/portfolio.xml');

describe('.xml.gz', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'iati-gz-unit-'));
  const zipped = gzipSync(readFileSync(PORTFOLIO));

  it('reads the activities of a gzipped file as of the plain one', async () => {
    const file = path.join(dir, 'portfolio.xml.gz');
    writeFileSync(file, zipped);
    const plain = await scanIatiFile(PORTFOLIO, () => {});
    const gz = await scanIatiFile(file, () => {});
    expect(gz.identifiers).toEqual(plain.identifiers);
    expect(gz.identifiers).toHaveLength(2);
  });

  it('refuses a .gz file cut short, or not gzip, saying so', async () => {
    const cut = path.join(dir, 'cut.xml.gz');
    writeFileSync(cut, zipped.subarray(0, Math.floor(zipped.length / 2)));
    const fake = path.join(dir, 'fake.xml.gz');
    writeFileSync(fake, readFileSync(PORTFOLIO));
    for (const file of [cut, fake]) {
      const error = await scanIatiFile(file, () => {}).catch((e: unknown) => e);
      expect(error, file).toBeInstanceOf(ImportValidationError);
      expect((error as ImportValidationError).problems[0]?.what).toMatch(
        /^not a complete gzip file/,
      );
    }
  });
});
