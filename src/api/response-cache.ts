/**
 * Read answers cached by the graph's version (store/graph-version.ts), as the bytes that were
 * sent: a cached answer is keyed by the request as Apollo Server reads it (document, operation,
 * variables, the headers that decide how it is answered), the caller's token and the version,
 * and every committed write moves the version — so an answer is never stale and may be kept
 * until the cache's memory or its TTL says otherwise.
 *
 * - A hit is answered before Apollo Server (`middleware`): the version read, one lookup, the
 *   stored body sent as it is. A large answer is neither parsed nor serialized again, and a
 *   small one skips the whole GraphQL pipeline; it is the answer the same request got, checks
 *   included, at the same version.
 * - A miss runs as any request. Its answer is written when Apollo Server serializes it
 *   (`stringifyResult`), if it is a read answered without errors and cacheable by its policy.
 * - Answers are kept in a Keyv-compatible store: an in-process LRU with a memory cap
 *   (RESPONSE_CACHE_MB) or, with REDIS_URL, Redis/Valkey through Keyv, so that several API
 *   instances share one cache of one graph. Redis unreachable means a miss, never a failed
 *   request.
 * - Every read answer gets an ETag made of the version and the request; a request whose
 *   If-None-Match holds it is answered 304 before anything runs but the version read.
 * - A mutation that changed something moves the version when it is done.
 *
 * The version is read for every read request, by a read that began after the request arrived
 * (one indexed lookup, shared by the requests that arrived meanwhile: GraphVersionReader); a
 * graph without one is not cached.
 */
import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import KeyvRedis from '@keyv/redis';
import type { Request as HttpRequest, RequestHandler, Response as HttpResponse } from 'express';
import Keyv from 'keyv';
import { OperationTypeNode, type FormattedExecutionResult } from 'graphql';
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import { bumpGraphVersion, GraphVersionReader, readGraphVersion } from '../store/graph-version.js';
import type { AnswerCacheNote, AppContext } from './context.js';
import { APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, wantsGraphqlResponseJson } from './media-type.js';

export interface ResponseCacheOptions {
  driver: Driver;
  database: string;
  /** Memory cap of the in-process cache, in MB; 0 turns caching off (ETags stay). */
  memoryMb: number;
  /** A shared Redis/Valkey cache instead of the in-process one. */
  redisUrl: string | undefined;
  /**
   * How long an answer is kept, in seconds (RESPONSE_CACHE_TTL_S): not the HTTP max-age, since
   * the version, not time, makes an answer stale; this only lets answers of old versions go.
   */
  ttlS: number;
  /** Called after a mutation that changed something has moved the version. */
  afterWrite?: () => void;
  /** The version read's own timeout. */
  timeoutMs: number;
  /** The max-age of read answers (CACHE_MAX_AGE_S), repeated on a 304. */
  maxAgeS: number;
  /** Answers are per caller (AUTH_REQUIRE_FOR_READS): a 304 says so too. */
  private: boolean;
  /**
   * Who asks, as the cache tells callers apart: the caller's verified Authorization header, or
   * null without one. Throws when the request would be refused for its token: a hit is then
   * not served, and Apollo Server refuses it as it would anyway.
   */
  sessionOf: (req: HttpRequest) => Promise<string | null>;
  log: Logger;
}

export interface ResponseCache {
  /** On /graphql before Apollo Server (after the trusted documents): answers the hits. */
  middleware: RequestHandler;
  plugins: ApolloServerPlugin<AppContext>[];
  /** Apollo Server's `stringifyResult`: serializes an answer once, and keeps it if it is to be. */
  stringifyResult: (value: FormattedExecutionResult) => string;
  /** Where answers are kept, for the start-up log. */
  kind: 'memory' | 'redis' | 'off';
}

type Request = GraphQLRequestContext<AppContext>;
type CacheHint = Parameters<Request['overallCachePolicy']['replace']>[0];

/** What is kept with an answer's body: the headers it went out with, and when. */
interface StoredHead {
  contentType: string;
  cacheControl: string;
  etag: string;
  operationName: string | null;
  /** Date.now() when it was stored, for the `age` header. */
  storedAt: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Apollo Server's own serialization (prettyJSONStringify). */
const serialize = (value: FormattedExecutionResult) => `${JSON.stringify(value)}\n`;

export function responseCache(options: ResponseCacheOptions): ResponseCache {
  const { driver, database, timeoutMs, log } = options;
  // One version per request, shared by the ETag and the cache; concurrent requests share reads.
  const reader = new GraphVersionReader(() =>
    readGraphVersion(driver, database, timeoutMs).catch((error: unknown) => {
      // The request itself will meet the same failure and say so; here it is a miss.
      log.debug({ err: error }, 'graph version not read: answer not cached');
      return undefined;
    }),
  );
  const versions = new WeakMap<AppContext, Promise<string | undefined>>();
  const versionOf = (request: Request): Promise<string | undefined> => {
    const context = request.contextValue;
    let version = context.answerCache?.version ?? versions.get(context);
    if (!version) {
      version = reader.current();
      versions.set(context, version);
    }
    return version;
  };
  const cache = cacheStore(options);
  const decided = new WeakMap<AppContext, Revalidation>();
  const plugins: ApolloServerPlugin<AppContext>[] = [
    mutationVersionPlugin(driver, database, log, options.afterWrite),
  ];
  // After the cache-control plugin (app.ts), which sets the cache-control header.
  plugins.push(
    etagPlugin(versionOf, decided, {
      maxAge: options.maxAgeS,
      scope: options.private ? 'PRIVATE' : 'PUBLIC',
    }),
  );
  if (!cache) {
    return {
      middleware: (_req, _res, next) => next(),
      plugins,
      stringifyResult: serialize,
      kind: 'off',
    };
  }
  const store = withTtl(cache.store, options.ttlS);
  if (cache.close) {
    const close = cache.close;
    plugins.push({ serverWillStart: () => Promise.resolve({ serverWillStop: close }) });
  }
  // Answers to keep, by their `data` object: Apollo Server hands the same object to
  // stringifyResult, whose text is then stored as it is sent.
  const toStore = new WeakMap<object, { key: string; head: Omit<StoredHead, 'storedAt'> }>();
  plugins.push(answerToStorePlugin(decided, toStore));
  return {
    middleware: hitMiddleware(store, reader, options.sessionOf, log),
    plugins,
    stringifyResult(value) {
      const text = serialize(value);
      const keep = value.data ? toStore.get(value.data) : undefined;
      if (keep && value.data) {
        toStore.delete(value.data);
        const head: StoredHead = { ...keep.head, storedAt: Date.now() };
        store.set(keep.key, `${JSON.stringify(head)}\n${text}`).catch((error: unknown) => {
          log.debug({ err: error }, 'answer not cached');
        });
      }
      return text;
    },
    kind: cache.kind,
  };
}

/** The request's GraphQL parameters as Apollo Server reads them, or undefined if not one it runs. */
function graphqlParams(req: HttpRequest): unknown[] | undefined {
  if (req.method === 'GET') {
    const start = req.url.indexOf('?');
    const search = new URLSearchParams(start < 0 ? '' : req.url.slice(start + 1));
    const values: unknown[] = [];
    for (const name of ['query', 'operationName', 'variables', 'extensions']) {
      const all = search.getAll(name);
      // Twice the same parameter is Apollo Server's to refuse.
      if (all.length > 1) return undefined;
      values.push(all[0] ?? null);
    }
    return typeof values[0] === 'string' ? values : undefined;
  }
  if (req.method === 'POST') {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const { query, operationName, variables, extensions } = body as Record<string, unknown>;
    return typeof query === 'string'
      ? [query, operationName ?? null, variables ?? null, extensions ?? null]
      : undefined;
  }
  return undefined;
}

/**
 * The cache key of a request at a version: everything Apollo Server reads of it that can change
 * the answer or how it is sent (the method, the parameters, the Accept and Content-Type headers,
 * the CSRF-prevention headers), and who asks.
 */
function cacheKey(version: string, req: HttpRequest, params: unknown[], session: string | null) {
  const h = req.headers;
  return `answer:${sha256(
    JSON.stringify([
      version,
      req.method,
      params,
      session === null ? null : sha256(session),
      h.accept ?? null,
      h['content-type'] ?? null,
      h['apollo-require-preflight'] !== undefined,
      h['x-apollo-operation-name'] !== undefined,
    ]),
  )}`;
}

/**
 * Answers a request from the cache when its key holds an answer; otherwise notes the version it
 * read and the key, for the ETag and for storing the answer, and passes it on.
 */
function hitMiddleware(
  store: KeyValueCache,
  reader: GraphVersionReader,
  sessionOf: (req: HttpRequest) => Promise<string | null>,
  log: Logger,
): RequestHandler {
  const lookup = async (req: HttpRequest, res: HttpResponse): Promise<boolean> => {
    const params = graphqlParams(req);
    if (!params) return false;
    const version = reader.current();
    const note: AnswerCacheNote = { version };
    res.locals.answerCache = note;
    let session: string | null;
    try {
      session = await sessionOf(req);
    } catch {
      return false;
    }
    const current = await version;
    if (current === undefined) return false;
    note.key = cacheKey(current, req, params, session);
    const stored = await store.get(note.key).catch((error: unknown) => {
      log.debug({ err: error }, 'cache not read: a miss');
      return undefined;
    });
    if (stored === undefined) return false;
    sendStored(req, res, stored);
    return true;
  };
  return (req, res, next) => {
    lookup(req, res).then(
      (answered) => {
        if (!answered) next();
      },
      (error: unknown) => {
        // Never a failed request for the cache's sake: the request runs as without one.
        log.warn({ err: error }, 'response cache: lookup failed, answering from Neo4j');
        next();
      },
    );
  };
}

/** Sends a stored answer: its body as it was sent, or 304 when If-None-Match holds its tag. */
function sendStored(req: HttpRequest, res: HttpResponse, stored: string): void {
  const split = stored.indexOf('\n');
  const head = JSON.parse(stored.slice(0, split)) as StoredHead;
  const note = res.locals.graphql;
  note.operationName = head.operationName;
  note.cache = 'hit';
  res.setHeader('cache-control', head.cacheControl);
  res.setHeader('etag', head.etag);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && matches(ifNoneMatch, head.etag)) {
    res.status(304).end();
    return;
  }
  const body = stored.slice(split + 1);
  res.setHeader('content-type', head.contentType);
  res.setHeader('age', String(Math.max(0, Math.floor((Date.now() - head.storedAt) / 1000))));
  res.setHeader('content-length', Buffer.byteLength(body));
  res.status(200).end(body);
}

/**
 * Marks a read answered without errors, cacheable by its policy and not a 304, to be stored when
 * it is serialized. Runs after the ETag plugin, whose tag it keeps with the answer.
 */
function answerToStorePlugin(
  decided: WeakMap<AppContext, Revalidation>,
  toStore: WeakMap<object, { key: string; head: Omit<StoredHead, 'storedAt'> }>,
): ApolloServerPlugin<AppContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({
          contextValue,
          operation,
          operationName,
          request,
          response,
          overallCachePolicy,
        }) {
          const key = contextValue.answerCache?.key;
          if (!key || operation?.operation !== OperationTypeNode.QUERY) return Promise.resolve();
          if (response.body.kind !== 'single' || decided.get(contextValue)?.notModified)
            return Promise.resolve();
          const { data, errors } = response.body.singleResult;
          if (!data || errors?.length || (response.http.status ?? 200) !== 200)
            return Promise.resolve();
          const etag = response.http.headers.get('etag');
          const cacheControl = response.http.headers.get('cache-control');
          if (!overallCachePolicy.policyIfCacheable() || !etag || !cacheControl)
            return Promise.resolve();
          const media = wantsGraphqlResponseJson(request.http?.headers.get('accept'))
            ? GRAPHQL_RESPONSE_JSON
            : APPLICATION_JSON;
          toStore.set(data, {
            key,
            head: {
              // As Apollo Server writes it.
              contentType: `${media}; charset=utf-8`,
              cacheControl,
              etag,
              operationName: operationName ?? null,
            },
          });
          return Promise.resolve();
        },
      });
    },
  };
}

/** `store` with every answer kept `ttlS` seconds, whatever the answer's max-age. */
function withTtl(store: KeyValueCache, ttlS: number): KeyValueCache {
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value, { ttl: ttlS }),
    delete: (key) => store.delete(key),
  };
}

/** The store answers are kept in, or none (RESPONSE_CACHE_MB=0 without Redis). */
function cacheStore({
  memoryMb,
  redisUrl,
  log,
}: ResponseCacheOptions):
  { store: KeyValueCache; kind: 'memory' | 'redis'; close?: () => Promise<void> } | undefined {
  if (redisUrl) {
    const redis = new KeyvRedis(
      {
        url: redisUrl,
        // While Redis is away, fail fast (a miss) rather than queue until it is back.
        disableOfflineQueue: true,
        socket: {
          connectTimeout: 1000,
          reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000),
        },
      },
      { throwOnConnectError: false, throwOnErrors: false, connectionTimeout: 1000 },
    );
    const keyv = new Keyv<string>({
      store: redis,
      namespace: 'funding-graph',
      throwOnErrors: false,
    });
    let warned = false;
    const warn = (error: unknown) => {
      // Once per outage: every request would repeat it.
      if (warned) return;
      warned = true;
      log.warn({ err: error }, 'response cache: Redis unreachable, answering from Neo4j');
    };
    keyv.on('error', warn);
    redis.on('error', warn);
    redis.on('connect', () => {
      warned = false;
    });
    return {
      // keyvadapter is CommonJS and types Keyv from keyv's CommonJS build; the instance is the same.
      store: new KeyvAdapter<string>(
        keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0],
        {
          disableBatchReads: true,
        },
      ),
      kind: 'redis',
      close: () => redis.disconnect().catch(() => undefined),
    };
  }
  if (memoryMb <= 0) return undefined;
  return {
    store: new InMemoryLRUCache({ maxSize: memoryMb * 1024 * 1024 }),
    kind: 'memory',
  };
}

/** What the ETag plugin decided for one request. */
interface Revalidation {
  tag: string;
  /** If-None-Match holds the tag: the answer is 304, and nothing is cached for it. */
  notModified: boolean;
}

/**
 * An ETag on every read answer, made of the version and the request; If-None-Match with it is
 * answered 304 without running the operation. (A stored answer's 304 is the middleware's.)
 */
function etagPlugin(
  versionOf: (request: Request) => Promise<string | undefined>,
  decided: WeakMap<AppContext, Revalidation>,
  policy: CacheHint,
): ApolloServerPlugin<AppContext> {
  return {
    requestDidStart() {
      let revalidation: Revalidation | undefined;
      return Promise.resolve({
        async didResolveOperation(request) {
          if (request.operation?.operation !== OperationTypeNode.QUERY) return;
          const version = await versionOf(request);
          if (version === undefined) return;
          const token = request.contextValue.token;
          const tag = `W/"${sha256(
            JSON.stringify({
              version,
              source: request.source,
              operationName: request.operationName ?? null,
              variables: request.request.variables ?? {},
              session: token ? sha256(token) : null,
            }),
          ).slice(0, 40)}"`;
          const ifNoneMatch = request.request.http?.headers.get('if-none-match');
          revalidation = { tag, notModified: !!ifNoneMatch && matches(ifNoneMatch, tag) };
          decided.set(request.contextValue, revalidation);
        },
        responseForOperation(request) {
          if (!revalidation?.notModified) return Promise.resolve(null);
          // Nothing runs, so no field gives its hint: the answer's own policy, as it was sent.
          request.overallCachePolicy.replace(policy);
          return Promise.resolve({
            body: { kind: 'single', singleResult: { data: {} } },
            http: { status: 304, headers: new HeaderMap() },
          });
        },
        willSendResponse({ response, overallCachePolicy }) {
          if (!revalidation || response.body.kind !== 'single') return Promise.resolve();
          if (revalidation.notModified) {
            overallCachePolicy.replace(policy);
            response.http.status = 304;
            response.http.headers.set('etag', revalidation.tag);
          } else if (!response.body.singleResult.errors?.length) {
            response.http.headers.set('etag', revalidation.tag);
          }
          return Promise.resolve();
        },
      });
    },
  };
}

/** If-None-Match: `*`, or a list of tags compared weakly (RFC 9110 §13.1.2). */
function matches(header: string, tag: string): boolean {
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((t) => opaque(t) === opaque(tag));
}

/** A mutation that changed something moves the version once it is done. */
function mutationVersionPlugin(
  driver: Driver,
  database: string,
  log: Logger,
  afterWrite: (() => void) | undefined,
): ApolloServerPlugin<AppContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        async willSendResponse({ operation, response }) {
          if (
            operation?.operation !== OperationTypeNode.MUTATION ||
            response.body.kind !== 'single'
          )
            return;
          const { data } = response.body.singleResult;
          // A refused or failed mutation rolled back: nothing changed, nothing to move.
          const changed = Object.values(data ?? {}).some((v) => v !== null && v !== undefined);
          if (!changed) return;
          await bumpGraphVersion(driver, database).then(afterWrite, (error: unknown) => {
            log.error({ err: error }, 'graph version not moved after a mutation');
          });
        },
      });
    },
  };
}
