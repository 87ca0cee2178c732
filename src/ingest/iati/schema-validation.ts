/**
 * Validation against the official IATI 2.03 XML Schema (vendor/iati-2.03/schema), with
 * libxml2 compiled to WebAssembly (libxml2-wasm: installs from npm alone, no native binary).
 * The schema is compiled once and reused. Files are validated in batches of top-level elements,
 * each batch wrapped in the file's own root start tag, so memory stays bounded however large
 * the file; every error is mapped back to its line in the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ParseOption,
  XmlDocument,
  XmlParseError,
  XmlValidateError,
  XsdValidator,
} from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import type { Problem } from '../../errors/expected.js';
import { IATI_STANDARD_DIR } from './codelists.js';
import type { TopLevelElement, XmlRoot } from './xml-reader.js';

const SCHEMA = path.join(IATI_STANDARD_DIR, 'schema/iati-activities-schema.xsd');

let shared: SchemaValidator | undefined;

export class SchemaValidator {
  private constructor(private readonly validator: XsdValidator) {}

  /** The compiled official schema (compiled on first use; its imports are read from disk). */
  static load(): Promise<SchemaValidator> {
    if (!shared) {
      xmlRegisterFsInputProviders();
      const doc = XmlDocument.fromBuffer(readFileSync(SCHEMA), { url: SCHEMA });
      try {
        shared = new SchemaValidator(XsdValidator.fromDoc(doc));
      } finally {
        doc.dispose();
      }
    }
    return Promise.resolve(shared);
  }

  /** Problems of `elements` (top-level elements of one file) under `root`, at file lines. */
  validate(file: string, root: XmlRoot, elements: readonly TopLevelElement[]): Problem[] {
    // Document line → file line: the root's start tag first, then each element in turn.
    const offsets: { docLine: number; fileLine: number }[] = [{ docLine: 1, fileLine: root.line }];
    let docLine = 1 + lineCount(root.startTag);
    const parts = [root.startTag];
    for (const e of elements) {
      offsets.push({ docLine, fileLine: e.line });
      parts.push(e.xml);
      docLine += lineCount(e.xml);
    }
    parts.push(`</${root.name}>`);
    const toFileLine = (line: number) => {
      let at = offsets[0] ?? { docLine: 1, fileLine: 1 };
      for (const o of offsets) if (o.docLine <= line) at = o;
      return at.fileLine + (line - at.docLine);
    };
    let doc: XmlDocument | undefined;
    try {
      // BIG_LINES: libxml2 stops counting lines at 65535 otherwise.
      doc = XmlDocument.fromString(parts.join('\n'), {
        url: file,
        option: ParseOption.XML_PARSE_BIG_LINES,
      });
      this.validator.validate(doc);
      return [];
    } catch (error) {
      if (!(error instanceof XmlValidateError) && !(error instanceof XmlParseError)) throw error;
      return error.details.map((d) => ({
        file,
        line: toFileLine(d.line),
        ...(d.col > 0 ? { column: d.col } : {}),
        ...(d.xpath ? { path: d.xpath.replace(/^\//, '') } : {}),
        what: d.message.trim(),
        why: 'the file does not follow the IATI 2.03 schema',
      }));
    } finally {
      doc?.dispose();
    }
  }
}

/** The number of line breaks in `text` (a part ends where the next begins, after one more). */
function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
