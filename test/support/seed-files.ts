/** Copies of the real seed with one change each, in a temporary folder beside the page. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedsDir } from '../../src/ingest/ingest.js';

export const realSeed = path.join(seedsDir, 'institutionele-donoren.yaml');
export const realSeedText = () => readFileSync(realSeed, 'utf8');

/** Writes `yaml` as an extraction file next to a copy of the source page; returns its path. */
export function writeSeed(yaml: string, name = 'changed.yaml'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'funding-graph-seed-'));
  copyFileSync(
    path.join(seedsDir, 'institutionele-donoren.txt'),
    path.join(dir, 'institutionele-donoren.txt'),
  );
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/** The real seed with exactly one occurrence of `from` replaced; fails if it is not there once. */
export function seedWith(from: string, to: string): string {
  const text = realSeedText();
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) {
    throw new Error(`test setup: "${from}" must occur exactly once in the seed`);
  }
  return writeSeed(text.slice(0, at) + to + text.slice(at + from.length));
}

/** 1-based line of the first occurrence of `needle` in `text`. */
export const lineOf = (text: string, needle: string) =>
  text.slice(0, text.indexOf(needle)).split('\n').length;

/** Writes a page of its own (`<key>.txt`) and its extraction (`<key>.yaml`); returns the YAML's path. */
export function writeSource(key: string, page: string, yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'funding-graph-source-'));
  writeFileSync(path.join(dir, `${key}.txt`), page);
  const file = path.join(dir, `${key}.yaml`);
  writeFileSync(file, yaml);
  return file;
}
