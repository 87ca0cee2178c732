/**
 * IATI file → **activities**, streamed: saxes reads the file chunk by chunk and hands over each
 * top-level element of `<iati-activities>` (normally an `<iati-activity>`) as soon as it
 * closes, as a small tree with the line, column and path of every element, plus its verbatim
 * XML text (for schema validation and as the quote behind the facts read from it). Memory is
 * bounded by the largest activity, not by the file.
 */
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import { ImportValidationError } from '../../errors/expected.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's), as written. */
  text: string;
  line: number;
  column: number;
  /** E.g. `iati-activity[3]/participating-org[2]` (1-based among siblings of that name). */
  path: string;
}

/** One top-level element of the file: an activity, or anything else the file puts there. */
export interface TopLevelElement {
  element: XmlElement;
  /** The element's verbatim text in the file. */
  xml: string;
  /** 1-based line of its start tag in the file. */
  line: number;
}

/** The root element: its verbatim start tag (with namespace declarations) and attributes. */
export interface XmlRoot {
  name: string;
  attrs: Record<string, string>;
  startTag: string;
  line: number;
}

export interface XmlReaderEvents {
  root(root: XmlRoot): void;
  /** Called for each top-level element when it closes; may be async (the read waits). */
  element(top: TopLevelElement): void | Promise<void>;
}

/**
 * Streams `input` (UTF-8 text chunks or bytes) through saxes. Malformed XML is an
 * ImportValidationError at its line and column.
 */
export async function readXml(input: Readable, file: string, on: XmlReaderEvents): Promise<void> {
  const parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  // The text since the start of the current top-level element (or of the file), so that its
  // verbatim XML can be cut out when it closes; everything before is dropped.
  let buffer = '';
  let bufferStart = 0;
  let root: XmlRoot | undefined;
  const stack: XmlElement[] = [];
  const counts: Map<string, number>[] = [new Map<string, number>()];
  let topStart = -1;
  let topLine = 0;
  const pending: TopLevelElement[] = [];
  let failure: { line: number; column: number; message: string } | undefined;

  parser.on('error', (error) => {
    failure ??= { line: parser.line, column: parser.column, message: error.message };
  });
  // Where the current start tag begins (saxes reports positions after it).
  let tagLine = 1;
  let tagColumn = 1;
  parser.on('opentagstart', (tag) => {
    tagLine = parser.line;
    tagColumn = Math.max(1, parser.column - tag.name.length);
  });
  parser.on('opentag', (tag) => {
    const attrs = { ...tag.attributes } as Record<string, string>;
    if (!root) {
      const end = parser.position - bufferStart;
      const start = buffer.lastIndexOf(`<${tag.name}`, end);
      root = {
        name: tag.name,
        attrs,
        startTag: buffer.slice(Math.max(start, 0), end),
        line: tagLine,
      };
      on.root(root);
      return;
    }
    const siblings = counts[counts.length - 1] ?? new Map<string, number>();
    const n = (siblings.get(tag.name) ?? 0) + 1;
    siblings.set(tag.name, n);
    const parent = stack[stack.length - 1];
    const element: XmlElement = {
      name: tag.name,
      attrs,
      children: [],
      text: '',
      line: tagLine,
      column: tagColumn,
      path: `${parent ? `${parent.path}/` : ''}${tag.name}[${n}]`,
    };
    if (parent) parent.children.push(element);
    else {
      // A top-level element starts: remember where its text begins.
      const end = parser.position - bufferStart;
      topStart = buffer.lastIndexOf(`<${tag.name}`, end);
      topLine = tagLine;
    }
    stack.push(element);
    counts.push(new Map());
  });
  parser.on('text', (text) => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  });
  parser.on('cdata', (text) => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    counts.pop();
    if (!element || stack.length > 0) return;
    const end = parser.position - bufferStart;
    pending.push({ element, xml: buffer.slice(topStart, end), line: topLine });
    buffer = buffer.slice(end);
    bufferStart += end;
  });

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const feed = async (text: string) => {
    buffer += text;
    parser.write(text);
    if (failure) throw located(file, failure);
    while (pending.length > 0) {
      const top = pending.shift();
      if (top) await on.element(top);
    }
  };
  try {
    for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
      await feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    }
    await feed(decoder.decode());
  } catch (error) {
    if (error instanceof TypeError && /encoded data/i.test(String(error.message))) {
      throw new ImportValidationError([
        { file, line: parser.line, what: 'not UTF-8 text', why: 'IATI files are UTF-8 XML' },
      ]);
    }
    // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR…) for a .gz file cut short or not gzip at all.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new ImportValidationError([
        {
          file,
          line: parser.line,
          what: `not a complete gzip file (${(error as Error).message})`,
          why: 'a .gz file is read through gunzip: it is cut short or is not gzip; download it again',
        },
      ]);
    }
    throw error;
  }
  parser.close();
  if (failure) throw located(file, failure);
  if (!root) {
    throw new ImportValidationError([
      { file, what: 'no XML element', why: 'an IATI file has an <iati-activities> root' },
    ]);
  }
}

function located(file: string, f: { line: number; column: number; message: string }) {
  return new ImportValidationError([
    {
      file,
      line: f.line,
      column: f.column,
      what: 'XML is not well-formed',
      why: f.message.replace(/^[^:]*:\d+:\d+: /, ''),
    },
  ]);
}

/** The children of `element` named `name`. */
export const childrenNamed = (element: XmlElement, name: string) =>
  element.children.filter((c) => c.name === name);

/** The first child of `element` named `name`. */
export const childNamed = (element: XmlElement, name: string) =>
  element.children.find((c) => c.name === name);
