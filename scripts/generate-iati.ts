/**
 * `npx tsx scripts/generate-iati.ts <megabytes> <out.xml>`: a large IATI file for measuring the
 * importer, made of copies of the hand-written portfolio (test/fixtures/iati/portfolio.xml):
 * each copy a parent and a child activity with fresh identifiers, its partners spelt in 5,000
 * variants, transactions in three currencies. Deterministic.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { projectRoot } from '../src/config/index.js';

const [mb, out] = process.argv.slice(2);
if (!mb || !out || !(Number(mb) > 0)) {
  console.error('usage: npx tsx scripts/generate-iati.ts <megabytes> <out.xml>');
  process.exit(2);
}
const fixture = readFileSync(path.join(projectRoot, 'test/fixtures/iati/portfolio.xml'), 'utf8');
const activities = fixture.slice(
  fixture.indexOf('<iati-activity '),
  fixture.lastIndexOf('</iati-activities>'),
);
const target = Number(mb) * 1e6;
const stream = createWriteStream(out);
stream.write(
  '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="2026-01-15T10:00:00Z">\n',
);
let copies = 0;
let size = 0;
while (size < target) {
  const copy = activities
    .replaceAll('NL-KVK-41198890-GAA', `NL-KVK-41198890-G${copies}`)
    .replaceAll('Ethiopian Women Lawyers Association', `Women Lawyers ${copies % 5000}`);
  if (!stream.write(copy)) await once(stream, 'drain');
  size += copy.length;
  copies++;
}
stream.end('</iati-activities>\n');
await once(stream, 'finish');
console.log(`${out}: ${copies * 2} activities, ${(size / 1e6).toFixed(1)} MB`);
