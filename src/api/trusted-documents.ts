/**
 * Trusted documents: the saved questions of queries/ by id, so that a dashboard sends a short
 * id instead of a document (`GET /graphql?id=…&variables=…`, cacheable by a CDN), and a public
 * deployment runs nothing else (`TRUSTED_DOCUMENTS_ONLY=true`).
 *
 * An id is the SHA-256 (hex) of the document as graphql-js prints it — the text a typed client
 * sends (`print(document)`), and the hash Apollo's persisted queries use — so any spelling of a
 * trusted document (other whitespace, comments) is the same document. `npm run codegen` writes
 * the ids as Apollo's persisted-query manifest (src/generated/persisted-documents.json) and as
 * a map for the typed client (src/generated/document-ids.ts), from the same function.
 *
 * A request names its document by `id` or `documentId` (the GraphQL-over-HTTP persisted
 * documents proposal, with or without its `sha256:` prefix) or by Apollo's
 * `extensions.persistedQuery.sha256Hash`; this middleware puts the document in its place
 * before Apollo Server reads the request, which then runs as if the document had been sent.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { Kind, parse, print, type DocumentNode } from 'graphql';
import { ErrorCode, HTTP_STATUS } from '../errors/index.js';
import type { SavedQuery } from './saved-queries.js';

/** The id of a document: SHA-256 (hex) of its printed form. */
export function documentId(document: DocumentNode): string {
  return createHash('sha256').update(print(document)).digest('hex');
}

export interface TrustedDocument {
  id: string;
  /** The operation's name, e.g. `ProgrammeLeads`. */
  name: string;
  /** The operation's type. */
  type: 'query' | 'mutation' | 'subscription';
  /** The printed document (its SHA-256 is the id). */
  body: string;
}

/** The saved questions as trusted documents, in name order. */
export function trustedDocuments(saved: readonly SavedQuery[]): TrustedDocument[] {
  return saved.map((q) => {
    const document = parse(q.document);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    return {
      id: documentId(document),
      name: q.operationName,
      type: operation?.operation ?? 'query',
      body: print(document),
    };
  });
}

/** Apollo's persisted-query manifest format (what Apollo Router and its tools read). */
export function persistedQueryManifest(documents: readonly TrustedDocument[]) {
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: documents.map(({ id, name, type, body }) => ({ id, name, type, body })),
  };
}

/** `sha256:<hex>` (the proposal's form) or bare hex (Apollo's), as bare lower-case hex. */
const ID = /^(?:sha256:)?([0-9a-fA-F]{64})$/;

type Params = Record<string, unknown>;

export interface TrustedDocumentsOptions {
  /** Refuse every document that is not a trusted one. */
  only: boolean;
  /** The parser's token limit (LIMIT_MAX_TOKENS), for the check of a sent document. */
  maxTokens: number;
}

/**
 * Resolves a request's document id into its document, and with `only` refuses any other
 * document. Runs after express.json() and before Apollo Server's middleware.
 */
export function trustedDocumentsMiddleware(
  documents: readonly TrustedDocument[],
  { only, maxTokens }: TrustedDocumentsOptions,
): RequestHandler {
  const byId = new Map(documents.map((d) => [d.id, d]));
  const refuse = (res: Response, code: ErrorCode, message: string) => {
    const note = res.locals.graphql as { errorCodes?: string[] } | undefined;
    if (note) note.errorCodes = [code];
    res.status(HTTP_STATUS[code]).json({ errors: [{ message, extensions: { code } }] });
  };

  return (req, res, next) => {
    const get = req.method === 'GET' || req.method === 'HEAD';
    const url = new URL(req.url, 'http://localhost');
    const params: Params | undefined = get
      ? Object.fromEntries(url.searchParams)
      : isObject(req.body)
        ? (req.body as Params)
        : undefined;
    // Anything else (a batch, a body that is no object) is Apollo Server's to refuse.
    if (!params) {
      next();
      return;
    }
    const named = requestedId(params, get);
    if ('error' in named) {
      refuse(res, ErrorCode.BAD_REQUEST, named.error);
      return;
    }
    const query = params.query;
    if (named.id !== undefined) {
      if (typeof query === 'string') {
        // Apollo's second try: the text with its hash. Checked like any sent document below.
        if (sha256(query) !== named.id) {
          refuse(res, ErrorCode.BAD_REQUEST, `The document sent is not the document ${named.id}.`);
          return;
        }
        setDocument(req, url, params, get, query);
      } else {
        const trusted = byId.get(named.id);
        if (!trusted) {
          refuse(
            res,
            ErrorCode.PERSISTED_QUERY_NOT_FOUND,
            `No trusted document has the id ${named.id}; the ids are in src/generated/persisted-documents.json.`,
          );
          return;
        }
        setDocument(req, url, params, get, trusted.body);
        next();
        return;
      }
    }
    if (only && !isTrusted(query, byId, maxTokens)) {
      refuse(
        res,
        ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
        'This server runs trusted documents only (the saved questions): send one by its id, or its text.',
      );
      return;
    }
    next();
  };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The id a request names, if any: `id`, `documentId` or Apollo's persisted-query extension. */
function requestedId(params: Params, get: boolean): { id?: string } | { error: string } {
  let extensions = params.extensions;
  if (get && typeof extensions === 'string') {
    try {
      extensions = JSON.parse(extensions) as unknown;
    } catch {
      return { error: 'The extensions parameter is not JSON.' };
    }
  }
  const persisted = isObject(extensions)
    ? (extensions as { persistedQuery?: { sha256Hash?: unknown } }).persistedQuery
    : undefined;
  const given = [params.id, params.documentId, persisted?.sha256Hash].filter(
    (v) => v !== undefined,
  );
  if (given.length === 0) return {};
  const ids = new Set<string>();
  for (const value of given) {
    const match = typeof value === 'string' ? ID.exec(value) : null;
    if (!match?.[1]) {
      return {
        error: 'A document id is 64 hexadecimal digits (SHA-256), with or without "sha256:".',
      };
    }
    ids.add(match[1].toLowerCase());
  }
  if (ids.size > 1) return { error: 'The request names two different document ids.' };
  return { id: [...ids][0] };
}

/** A sent document is trusted when its printed form is a trusted document's. */
function isTrusted(
  query: unknown,
  byId: ReadonlyMap<string, TrustedDocument>,
  maxTokens: number,
): boolean {
  if (typeof query !== 'string') return false;
  try {
    return byId.has(documentId(parse(query, { maxTokens })));
  } catch {
    return false;
  }
}

/** Puts `body` where Apollo Server reads the document, without the id fields. */
function setDocument(
  req: Parameters<RequestHandler>[0],
  url: URL,
  params: Params,
  get: boolean,
  body: string,
): void {
  if (get) {
    url.searchParams.delete('id');
    url.searchParams.delete('documentId');
    const extensions = url.searchParams.get('extensions');
    if (extensions !== null) {
      const rest = withoutPersistedQuery(JSON.parse(extensions) as unknown);
      if (rest) url.searchParams.set('extensions', JSON.stringify(rest));
      else url.searchParams.delete('extensions');
    }
    url.searchParams.set('query', body);
    req.url = `${url.pathname}${url.search}`;
    return;
  }
  delete params.id;
  delete params.documentId;
  const rest = withoutPersistedQuery(params.extensions);
  if (rest) params.extensions = rest;
  else delete params.extensions;
  params.query = body;
}

/** The other extensions a request carries (none: undefined). */
function withoutPersistedQuery(extensions: unknown): Params | undefined {
  if (!isObject(extensions)) return undefined;
  const rest = { ...(extensions as Params) };
  delete rest.persistedQuery;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
