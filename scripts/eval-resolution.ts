/**
 * `npm run eval:resolution [-- gold.json…]`: B-cubed precision, recall and F1 of organisation
 * resolution on hand-checked gold files (default: test/fixtures/resolution/gold-*.json), per
 * file and over all mentions, with the organisations split over several nodes and the nodes
 * that mix several organisations, worst first.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config/index.js';
import { loadGold, scoreGold } from '../src/ingest/resolve/score-gold.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const GOLD_DIR = path.join(projectRoot, 'test/fixtures/resolution');
const WORST = 5;

const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : readdirSync(GOLD_DIR)
        .filter((f) => /^gold-.*\.json$/.test(f))
        .sort()
        .map((f) => path.join(GOLD_DIR, f));

const pct = (x: number) => x.toFixed(3);
const counts = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');

async function main() {
  let mentions = 0;
  let p = 0;
  let r = 0;
  for (const file of files) {
    const gold = loadGold(file);
    const score = await scoreGold(gold);
    mentions += score.mentions;
    p += score.precision * score.mentions;
    r += score.recall * score.mentions;
    say(
      `${gold.file}: ${score.mentions} mentions (${score.notImported} more not imported) — precision ${pct(score.precision)}, recall ${pct(score.recall)}, F1 ${pct(score.f1)}; ${score.split.length} organisations split, ${score.mixed.length} nodes mixed`,
    );
    for (const s of score.split.slice(0, WORST)) say(`  split  ${s.entity}: ${counts(s.nodes)}`);
    for (const m of score.mixed.slice(0, WORST)) say(`  mixed  ${m.node}: ${counts(m.entities)}`);
  }
  const precision = p / (mentions || 1);
  const recall = r / (mentions || 1);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  say(
    `all ${files.length} files: ${mentions} mentions — precision ${pct(precision)}, recall ${pct(recall)}, F1 ${pct(f1)}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `eval:resolution failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
