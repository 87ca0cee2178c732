/**
 * Resolution scored on a gold file: its IATI file read and resolved exactly as an import into an
 * empty graph resolves it (the same reader, the same rows, the same resolver, in the same
 * order), every organisation mention's node recorded by its element path, then compared with
 * the hand-checked organisations (evaluate.ts). No database.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../config/index.js';
import { mentionsForEvidence, type IatiActivity } from '../iati/activity.js';
import { sourceKeyOf } from '../iati/import-iati.js';
import { scanIatiFile } from '../iati/read-file.js';
import { iatiGraphRows } from '../iati/to-graph-rows.js';
import { bcubed, type GoldFile, type Score } from './evaluate.js';
import { loadKeepApart, loadSameAs } from './keep-apart.js';
import { OrganisationResolver, type Mention } from './organisations.js';
import { RefEvidenceBuilder } from './refs.js';

/** A resolver that remembers which node each mention (by element path) became. */
class RecordingResolver extends OrganisationResolver {
  readonly nodes = new Map<string, string>();
  override resolve(mention: Mention): string {
    const key = super.resolve(mention);
    const at = mention.where.slice(mention.where.indexOf(' ') + 1);
    if (!this.nodes.has(at)) this.nodes.set(at, key);
    return key;
  }
}

export function loadGold(file: string): GoldFile {
  return JSON.parse(readFileSync(file, 'utf8')) as GoldFile;
}

/** Which node each organisation mention of `input` becomes, by element path. */
export async function resolveFile(input: string): Promise<Map<string, string>> {
  const activities: IatiActivity[] = [];
  const evidence = new RefEvidenceBuilder();
  const scanned = await scanIatiFile(input, (a) => {
    activities.push(a);
    evidence.addActivity(a.identifier, mentionsForEvidence(a));
  });
  const resolver = new RecordingResolver([], loadKeepApart(), evidence.build(), loadSameAs());
  resolver.prime(evidence.canonicalMentions());
  const source = {
    key: sourceKeyOf(scanned.name),
    title: scanned.name,
    file: scanned.display,
    language: 'en',
    publisher: '',
    activitiesInFile: scanned.counts.activities,
    activitiesImported: scanned.counts.imported,
    activitiesSkipped: scanned.counts.skipped,
    elementsDropped: scanned.counts.elementsDropped,
    moneySkipped: scanned.counts.moneySkipped,
    fileSha256: scanned.sha256,
    importFingerprint: '',
  };
  iatiGraphRows(source, activities, resolver, new Set(scanned.identifiers));
  return resolver.nodes;
}

export async function scoreGold(gold: GoldFile): Promise<Score> {
  const nodes = await resolveFile(path.resolve(projectRoot, gold.origin));
  return bcubed(gold.mentions, nodes);
}
