/**
 * What an import's result depends on besides its file: the ingest code (readers, resolver,
 * writer), the model (src/model/, schema/) and the resolution corrections it was given. Each
 * IATI Source keeps this fingerprint and its file's SHA-256, so that a file imported again
 * unchanged, by the same importer, is known to change nothing and is not written again; a
 * change to any of these parts writes it afresh.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../config/index.js';

const INGEST_DIR = path.dirname(fileURLToPath(import.meta.url));
const CODE_DIRS = [INGEST_DIR, path.join(INGEST_DIR, '../model'), path.join(projectRoot, 'schema')];

let code: string | undefined;

/** SHA-256 (hex) of the importer's code and model, and of `corrections` (JSON). */
export function importerFingerprint(corrections: unknown): string {
  code ??= codeDigest();
  return createHash('sha256').update(code).update(JSON.stringify(corrections)).digest('hex');
}

function codeDigest(): string {
  const hash = createHash('sha256');
  for (const dir of CODE_DIRS) {
    for (const file of filesUnder(dir)) {
      hash.update(path.relative(dir, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

/** Files under `dir`, sorted, tests left out (they do not change what an import writes). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !/\.test\.[cm]?[jt]s$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
