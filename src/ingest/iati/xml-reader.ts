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

/** How a file's bytes are read as text: the encoding, and what said so. */
export interface FileEncoding {
  /** The WHATWG name TextDecoder gives it (`utf-8`, `utf-16le`, `windows-1252`…). */
  encoding: string;
  /** The encoding the XML declaration names, as written; undefined where none is named. */
  declared?: string;
}

/** Enough of a file's first bytes to know its encoding: the XML declaration ends at its `>`. */
export const ENCODING_HEAD_BYTES = 1024;

/**
 * The encoding of a file from its first bytes, as XML 1.0 (appendix F) finds it: a byte order
 * mark, UTF-16's pattern of `<?`, else the encoding its XML declaration names, else UTF-8. A
 * name TextDecoder does not know is an ImportValidationError that names it. (IATI asks for
 * UTF-8, but a file that says it is ISO-8859-1 or UTF-16, and is, is well-formed XML.)
 */
export function encodingOf(head: Uint8Array, file: string): FileEncoding {
  const [a, b, c, d] = head;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8' };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le' };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be' };
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00) return { encoding: 'utf-16le' };
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f) return { encoding: 'utf-16be' };
  // Every other encoding TextDecoder reads writes the declaration's characters as ASCII.
  const start = String.fromCharCode(...head.subarray(0, ENCODING_HEAD_BYTES));
  const declared = /^<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(
    start,
  )?.[2];
  if (declared === undefined) return { encoding: 'utf-8' };
  try {
    return { encoding: new TextDecoder(declared).encoding, declared };
  } catch {
    throw new ImportValidationError([
      {
        file,
        line: 1,
        what: `encoding "${declared}" is not one this importer can read`,
        why: 'IATI files are UTF-8 XML: convert the file to UTF-8 (e.g. with iconv) and import it again',
      },
    ]);
  }
}

/**
 * Streams `input` (text chunks, or bytes in the encoding `encodingOf` finds) through saxes.
 * Malformed XML, and bytes that are not text in that encoding, are an ImportValidationError at
 * its line and column.
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
  let failure:
    { line: number; column: number; message: string; what?: string; why?: string } | undefined;

  parser.on('error', (error) => {
    failure ??= { line: parser.line, column: parser.column, message: error.message };
  });
  // An IATI file has no DTD. A document type that declares entities or points at an outside
  // file is refused as that, before any entity is used: saxes expands none (an entity it does
  // not know is an error), and "not well-formed" would be the wrong reason for a file that is.
  parser.on('doctype', (doctype) => {
    const declares = /<!ENTITY/i.test(doctype)
      ? 'declares entities'
      : /^\s*\S+\s+(SYSTEM|PUBLIC)\b/i.test(doctype)
        ? 'points at an outside DTD'
        : undefined;
    if (!declares) return;
    failure ??= {
      line: parser.line,
      column: parser.column,
      message: '',
      what: `the document type ${declares} (<!DOCTYPE${doctype.slice(0, 60).replace(/\s+/g, ' ')}${doctype.length > 60 ? '…' : ''}>)`,
      why: 'IATI files have no DTD, and this importer reads none, so that no entity is expanded or fetched; remove the DOCTYPE',
    };
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

  const feed = async (text: string) => {
    buffer += text;
    parser.write(text);
    if (failure) throw located(file, failure);
    while (pending.length > 0) {
      const top = pending.shift();
      if (top) await on.element(top);
    }
  };
  // The first bytes are held until the encoding is known (the declaration's `>`, or enough).
  let encoding: FileEncoding | undefined;
  let decoder: TextDecoder | undefined;
  let head: Uint8Array = new Uint8Array(0);
  const decode = async (bytes: Uint8Array, stream: boolean) => {
    if (!decoder) {
      head = head.length === 0 ? bytes : Buffer.concat([head, bytes]);
      if (stream && head.length < ENCODING_HEAD_BYTES && !head.includes(0x3e)) return;
      encoding = encodingOf(head, file);
      decoder = new TextDecoder(encoding.encoding, { fatal: true });
      bytes = head;
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream });
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw notText(bytes);
    }
    await feed(text);
  };
  /** Bytes that are not text in the file's encoding: where the first of them is, and why. */
  const notText = (bytes: Uint8Array) => {
    // Everything before these bytes was fed to the parser, which stands at their start; the
    // first replacement character of a lenient decoding is the first byte that is no text.
    const lenient = new TextDecoder(encoding?.encoding ?? 'utf-8').decode(bytes);
    const before = lenient.slice(0, Math.max(lenient.indexOf('\uFFFD'), 0));
    const newline = before.lastIndexOf('\n');
    const line = parser.line + before.split('\n').length - 1;
    const column = newline < 0 ? parser.column + before.length + 1 : before.length - newline;
    return new ImportValidationError([
      {
        file,
        line,
        column,
        what: `not ${encoding?.declared ?? 'UTF-8'} text`,
        why: encoding?.declared
          ? `the XML declaration says encoding="${encoding.declared}", and these bytes are not that`
          : 'IATI files are UTF-8 XML (no other encoding is declared)',
      },
    ]);
  };
  try {
    for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
      if (typeof chunk === 'string') await feed(chunk);
      else await decode(chunk, true);
    }
    await decode(new Uint8Array(0), false);
  } catch (error) {
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

function located(
  file: string,
  f: { line: number; column: number; message: string; what?: string; why?: string },
) {
  return new ImportValidationError([
    {
      file,
      line: f.line,
      column: f.column,
      what: f.what ?? 'XML is not well-formed',
      why: f.why ?? f.message.replace(/^[^:]*:\d+:\d+: /, ''),
    },
  ]);
}

/** The children of `element` named `name`. */
export const childrenNamed = (element: XmlElement, name: string) =>
  element.children.filter((c) => c.name === name);

/** The first child of `element` named `name`. */
export const childNamed = (element: XmlElement, name: string) =>
  element.children.find((c) => c.name === name);
