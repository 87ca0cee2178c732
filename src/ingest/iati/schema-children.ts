/**
 * Which elements the official IATI 2.03 schema allows inside which (vendor/iati-2.03/schema),
 * whatever their order: what acceptance.ts needs to tell an element in the wrong place among
 * its siblings — libxml2's "This element is not expected" for a `<budget>` written after the
 * transactions — from an element that has no place there at all. Read once from the schema.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { IATI_STANDARD_DIR } from './codelists.js';

const SCHEMA_FILES = ['iati-activities-schema.xsd', 'iati-common.xsd'];

/**
 * Element name → the names of the elements the schema declares inside it (by `name` or
 * `ref`), inline or in the named type it has, not counting those inside a nested declaration.
 * Same-named elements declared in several places (a `value` of a transaction and of a budget)
 * share one set.
 */
export function schemaChildren(xsdTexts: readonly string[]): Map<string, Set<string>> {
  // Declarations (elements by name, complex types as `type:<name>`) → the elements inside.
  const inside = new Map<string, Set<string>>();
  // Element name → the named types declared for it.
  const types = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, value: string) =>
    map.set(key, (map.get(key) ?? new Set<string>()).add(value));
  for (const text of xsdTexts) {
    const parser = new SaxesParser<{ xmlns: false }>({ xmlns: false });
    // The declarations the parser is inside, innermost last ('' for one that names nothing).
    const open: string[] = [];
    parser.on('opentag', (tag) => {
      const attr = (name: string) => {
        const value = tag.attributes[name];
        return typeof value === 'string' ? value : undefined;
      };
      let declares = '';
      if (tag.name === 'xsd:element') {
        const name = attr('name') ?? attr('ref') ?? '';
        const parent = open.findLast((n) => n !== '');
        if (parent !== undefined && name !== '') add(inside, parent, name);
        declares = attr('name') ?? '';
        const type = attr('type');
        if (declares !== '' && type !== undefined) add(types, declares, `type:${type}`);
      } else if (tag.name === 'xsd:complexType') {
        declares = attr('name') === undefined ? '' : `type:${attr('name')}`;
      } else {
        return;
      }
      open.push(declares);
      if (tag.isSelfClosing) open.pop();
    });
    parser.on('closetag', (tag) => {
      if ((tag.name === 'xsd:element' || tag.name === 'xsd:complexType') && !tag.isSelfClosing) {
        open.pop();
      }
    });
    parser.write(text).close();
  }
  const children = new Map<string, Set<string>>();
  for (const name of new Set([...inside.keys(), ...types.keys()])) {
    if (name.startsWith('type:')) continue;
    const all = new Set(inside.get(name));
    for (const type of types.get(name) ?? []) for (const c of inside.get(type) ?? []) all.add(c);
    children.set(name, all);
  }
  return children;
}

let loaded: Map<string, Set<string>> | undefined;

/** Whether the IATI 2.03 schema allows `child` somewhere inside `parent`. */
export function allowedInside(parent: string, child: string): boolean {
  loaded ??= schemaChildren(
    SCHEMA_FILES.map((f) => readFileSync(path.join(IATI_STANDARD_DIR, 'schema', f), 'utf8')),
  );
  return loaded.get(parent)?.has(child) ?? false;
}
