/**
 * The IATI codelists the importer checks codes against, read from the copies this project
 * ships (vendor/iati-2.03/codelists, IATI's own files). Each is a map from code to its English
 * name; withdrawn codes are kept apart, since old files still use them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { projectRoot } from '../../config/index.js';

export const IATI_STANDARD_DIR = path.join(projectRoot, 'vendor/iati-2.03');

export const CODELIST_NAMES = [
  'OrganisationType',
  'OrganisationRole',
  'TransactionType',
  'Currency',
  'Country',
  'Region',
  'ActivityStatus',
  'ActivityDateType',
  'BudgetType',
  'RelatedActivityType',
  'Sector',
  'SectorCategory',
  'CRSChannelCode',
  'OrganisationRegistrationAgency',
] as const;
export type CodelistName = (typeof CODELIST_NAMES)[number];

export interface Codelist {
  name: CodelistName;
  /** Active codes → English name. */
  codes: ReadonlyMap<string, string>;
  /** Withdrawn codes → English name. */
  withdrawn: ReadonlyMap<string, string>;
  /** Code → the code of its category, where the list has categories. */
  categories: ReadonlyMap<string, string>;
}

/** Parses one codelist file of IATI's format (`<codelist-item>` with `<code>` and `<name>`). */
export function parseCodelist(name: CodelistName, xml: string): Codelist {
  const codes = new Map<string, string>();
  const withdrawn = new Map<string, string>();
  const categories = new Map<string, string>();
  const parser = new SaxesParser<{ xmlns: false }>({ xmlns: false });
  const path: string[] = [];
  let item: { code: string; name: string; withdrawn: boolean } | undefined;
  let text = '';
  parser.on('opentag', (tag) => {
    path.push(tag.name);
    text = '';
    if (tag.name === 'codelist-item') {
      item = { code: '', name: '', withdrawn: tag.attributes.status === 'withdrawn' };
    }
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('closetag', (tag) => {
    const parent = path[path.length - 2];
    if (item && tag.name === 'code' && parent === 'codelist-item') item.code = text.trim();
    if (item && tag.name === 'category' && parent === 'codelist-item') {
      categories.set(item.code, text.trim());
    }
    // The English name: the first narrative of the item's name (without xml:lang).
    if (item && tag.name === 'narrative' && parent === 'name' && !tag.attributes['xml:lang']) {
      item.name ||= text.trim();
    }
    if (item && tag.name === 'codelist-item') {
      (item.withdrawn ? withdrawn : codes).set(item.code, item.name);
      item = undefined;
    }
    path.pop();
    text = '';
  });
  parser.write(xml).close();
  return { name, codes, withdrawn, categories };
}

let loaded: Map<CodelistName, Codelist> | undefined;

export function codelist(name: CodelistName): Codelist {
  loaded ??= new Map(
    CODELIST_NAMES.map((n) => [
      n,
      parseCodelist(n, readFileSync(path.join(IATI_STANDARD_DIR, 'codelists', `${n}.xml`), 'utf8')),
    ]),
  );
  const list = loaded.get(name);
  if (!list) throw new Error(`invariant: codelist ${name} is not shipped`);
  return list;
}
