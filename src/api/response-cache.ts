/**
 * Read answers cached by the graph's version (store/graph-version.ts): a cached answer is
 * keyed by the document, the variables, the caller's token and the version, and every
 * committed write moves the version — so an answer is never stale and may be kept until the
 * cache's memory or the answer's max-age says otherwise.
 *
 * - Apollo's response-cache plugin does the caching, over an in-process LRU with a memory cap
 *   (RESPONSE_CACHE_MB) or, with REDIS_URL, over Redis/Valkey through Keyv, so that several
 *   API instances share one cache of one graph. Redis unreachable means a cache miss, never a
 *   failed request.
 * - Every read answer gets an ETag made of the same key; a request whose If-None-Match holds
 *   it is answered 304 before anything runs but the version read.
 * - A mutation that changed something moves the version when it is done.
 *
 * The version is read for every read request, by a read that began after the request arrived
 * (one indexed lookup, shared by the requests that arrived meanwhile: GraphVersionReader); a
 * graph without one is not cached.
 */
import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import ApolloServerPluginResponseCache from '@apollo/server-plugin-response-cache';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { OperationTypeNode } from 'graphql';
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import { bumpGraphVersion, GraphVersionReader, readGraphVersion } from '../store/graph-version.js';
import type { AppContext } from './context.js';

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
  /** The version read's own timeout. */
  timeoutMs: number;
  /** The max-age of read answers (CACHE_MAX_AGE_S), repeated on a 304. */
  maxAgeS: number;
  /** Answers are per caller (AUTH_REQUIRE_FOR_READS): a 304 says so too. */
  private: boolean;
  log: Logger;
}

export interface ResponseCache {
  plugins: ApolloServerPlugin<AppContext>[];
  /** Where answers are kept, for the start-up log. */
  kind: 'memory' | 'redis' | 'off';
}

type Request = GraphQLRequestContext<AppContext>;
type CacheHint = Parameters<Request['overallCachePolicy']['replace']>[0];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

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
    let version = versions.get(request.contextValue);
    if (!version) {
      version = reader.current();
      versions.set(request.contextValue, version);
    }
    return version;
  };
  const cache = cacheStore(options);
  const decided = new WeakMap<AppContext, Revalidation>();
  const cacheable = async (request: Request) =>
    (await versionOf(request)) !== undefined && !decided.get(request.contextValue)?.notModified;
  const plugins: ApolloServerPlugin<AppContext>[] = [mutationVersionPlugin(driver, database, log)];
  if (cache) {
    plugins.push(
      ApolloServerPluginResponseCache<AppContext>({
        cache: withTtl(cache.store, options.ttlS),
        // Answers for a token are that token's (AUTH_REQUIRE_FOR_READS makes them private).
        sessionId: (request) =>
          Promise.resolve(request.contextValue.token ? sha256(request.contextValue.token) : null),
        extraCacheKeyData: versionOf,
        shouldReadFromCache: cacheable,
        shouldWriteToCache: cacheable,
      }),
    );
    if (cache.close) {
      const close = cache.close;
      plugins.push({
        serverWillStart: () => Promise.resolve({ serverWillStop: close }),
      });
    }
  }
  // After the cache (see etagPlugin).
  plugins.push(
    etagPlugin(versionOf, decided, {
      maxAge: options.maxAgeS,
      scope: options.private ? 'PRIVATE' : 'PUBLIC',
    }),
  );
  return { plugins, kind: cache?.kind ?? 'off' };
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
 * An ETag on every read answer, made of what the cache key is made of; If-None-Match with it
 * is answered 304 without running the operation. Runs after the response cache: on a hit the
 * cached body is dropped for the 304; on a miss this answers instead of running the operation.
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
          await bumpGraphVersion(driver, database).catch((error: unknown) => {
            log.error({ err: error }, 'graph version not moved after a mutation');
          });
        },
      });
    },
  };
}
