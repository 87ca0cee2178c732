/**
 * request → **schema** → Cypher → Neo4j: the HTTP side. Express 5 with Apollo Server 5 at
 * /graphql (GET and POST), /health, /ready, and the offline playground at /.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { pinoHttp } from 'pino-http';
import type { Driver, Transaction } from 'neo4j-driver';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { formatError } from '../errors/classify.js';
import { jsonErrors, notFound, sendError } from '../errors/http.js';
import { ErrorCode, httpStatusOf } from '../errors/index.js';
import type { AnalystRepository } from '../store/analyst-repository.js';
import { logKept, MoneyTotalsKeeper, tryKeepMoneyTotals } from '../store/analyst/money-rollup.js';
import { autoCommitReader } from '../store/auto-commit.js';
import type { HomeChoice } from '../store/home.js';
import { aggregateSelectionRule } from './aggregate-rule.js';
import { checkedToken } from './auth.js';
import type { AnswerCacheNote, AppContext, RequestLog } from './context.js';
import { limitRules, operationLimitsPlugin } from './limits.js';
import { inputRulesPlugin } from './input-rules.js';
import { wantsGraphqlResponseJson } from './media-type.js';
import { bundleExplorer, exploreRouter } from './explore.js';
import { responseCache } from './response-cache.js';
import { loadSavedQueries } from './saved-queries.js';
import { trustedDocuments, trustedDocumentsMiddleware } from './trusted-documents.js';
import { exportRouter } from './export/router.js';
import { playgroundRouter } from './playground.js';

export interface AppDeps {
  config: Config;
  driver: Driver;
  schema: GraphQLSchema;
  analyst: AnalystRepository;
  /** Who "we" are, and why (store/home.ts). */
  home: HomeChoice;
  log: Logger;
}

export interface App {
  httpServer: http.Server;
  apollo: ApolloServer<AppContext>;
  /** Resolves once no sum of the money totals is pending or under way (start-up's included). */
  moneyTotalsSettled: () => Promise<void>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      graphql: RequestLog;
      answerCache?: AnswerCacheNote;
    }
  }
}

/**
 * Every response's HTTP status follows from its errors (see errors/index.ts), and the operation
 * is noted for the request log. As application/json (what clients get unless they ask for
 * more), an answer with an error is never a 200. As application/graphql-response+json, an
 * answer with data is 200, as the GraphQL-over-HTTP spec requires; without data (a request
 * refused, or every field failed) it keeps the error's status.
 */
function statusAndLogPlugin(): ApolloServerPlugin<AppContext> {
  return {
    requestDidStart({ request, contextValue }) {
      const note = contextValue.requestLog;
      note.operationName = request.operationName ?? null;
      return Promise.resolve({
        didResolveOperation({ operationName, operation, overallCachePolicy }) {
          if (operationName) note.operationName = operationName;
          // Only reads may be cached; a mutation's answer is for its caller, once.
          if (operation?.operation !== OperationTypeNode.QUERY)
            overallCachePolicy.restrict({ maxAge: 0 });
          return Promise.resolve();
        },
        willSendResponse({ request, response }) {
          if (response.body.kind !== 'single') return Promise.resolve();
          const { data, errors = [] } = response.body.singleResult;
          const codes = errors.map((e) => String(e.extensions?.code));
          note.errorCodes = codes;
          if (codes.length === 0) return Promise.resolve();
          // GraphQL over HTTP: an application/graphql-response+json answer with data is 200,
          // whatever failed in some of its fields (the errors say what).
          const partial =
            data !== undefined &&
            data !== null &&
            wantsGraphqlResponseJson(request.http?.headers.get('accept'));
          response.http.status = partial ? 200 : httpStatusOf(codes);
          return Promise.resolve();
        },
      });
    },
  };
}

const READY_TIMEOUT_MS = 1000;

/** A caller's request id, if it is a short token; otherwise a new one. */
const requestIdOf = (header: string | undefined) =>
  header && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();

/** One JSON log line per request: id, method, path, status, duration and, for GraphQL, the operation. */
function requestLogger(log: Logger) {
  const line = (req: http.IncomingMessage, res: http.ServerResponse, durationMs: unknown) => {
    const note = (res as express.Response).locals.graphql;
    return {
      method: req.method,
      path: (req as express.Request).originalUrl.split('?')[0],
      status: res.statusCode,
      durationMs,
      ...(note.operationName !== undefined ? { operationName: note.operationName } : {}),
      ...(note.errorCodes?.length ? { errorCodes: note.errorCodes } : {}),
      ...(note.cache ? { cache: note.cache } : {}),
    };
  };
  return pinoHttp({
    logger: log,
    genReqId: (req, res) => {
      const id = requestIdOf(req.headers['x-request-id']?.toString());
      res.setHeader('x-request-id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (req, res, val: { durationMs: unknown }) => line(req, res, val.durationMs),
    customErrorObject: (req, res, _err, val: { durationMs: unknown }) =>
      line(req, res, val.durationMs),
  });
}

/**
 * How long after an editor's mutation the money totals are summed again (money-rollup.ts): a
 * burst of edits is summed once; meanwhile questions about all the money are answered live.
 */
export const MONEY_TOTALS_QUIET_MS = 2_000;

/** The schema is public (the playground documents it), so errors may name its fields too. */
const INTROSPECTION = true;

export async function createApp({
  config,
  driver,
  schema,
  analyst,
  home,
  log,
}: AppDeps): Promise<App> {
  const homeKey = home.key;
  const secret = config.auth.jwtSecret;
  // The money totals kept for whole-graph questions, summed again once edits have paused.
  const moneyTotals = new MoneyTotalsKeeper(
    () => tryKeepMoneyTotals(driver, config.neo4j.database),
    (kept) => logKept(log, kept),
    MONEY_TOTALS_QUIET_MS,
  );
  const cache = responseCache({
    driver,
    database: config.neo4j.database,
    afterWrite: () => moneyTotals.soon(),
    ...config.responseCache,
    timeoutMs: config.limits.transactionTimeoutMs,
    maxAgeS: config.cacheMaxAgeS,
    private: config.auth.requireForReads,
    sessionOf: async (req) =>
      (await checkedToken(req.headers.authorization, secret, config.auth.requireForReads))
        ?.header ?? null,
    log,
  });
  log.info({ responseCache: cache.kind }, `response cache: ${cache.kind}`);
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<AppContext>({
    schema,
    // The playground's docs need introspection, in production too.
    introspection: INTROSPECTION,
    // src/main.ts owns SIGINT/SIGTERM: it drains Apollo, then closes the Neo4j driver. Apollo's
    // own handlers would re-raise the signal and kill the process before the driver is closed.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.env === 'development',
    // "Did you mean …" for a misspelt field or argument names only what introspection shows.
    hideSchemaDetailsFromClientErrors: !INTROSPECTION,
    validationRules: [...limitRules(config.limits), aggregateSelectionRule],
    parseOptions: { maxTokens: config.limits.maxTokens },
    // One way to name a document by id: the trusted documents (trusted-documents.ts), not
    // Apollo's automatic persisted queries, which would register any document a client sends.
    persistedQueries: false,
    formatError: formatError(log),
    // Serializes as Apollo Server does, and stores the answers the cache keeps.
    stringifyResult: cache.stringifyResult,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        // The totals of this graph version are summed in the background (unless an import
        // already did), so that the API listens at once and answers live meanwhile; a sum under
        // way ends before the server (and the driver after it) stops.
        serverWillStart: () => {
          moneyTotals.now();
          return Promise.resolve({ serverWillStop: () => moneyTotals.close() });
        },
      },
      ApolloServerPluginLandingPageDisabled(),
      // Reads of this graph change only on import: let dashboards and proxies cache them.
      ApolloServerPluginCacheControl({ defaultMaxAge: config.cacheMaxAgeS }),
      operationLimitsPlugin({
        maxPageSize: config.limits.maxPageSize,
        maxObjects: config.limits.maxCost,
        listEstimate: config.limits.listEstimate,
        input: config.limits.input,
      }),
      inputRulesPlugin(),
      statusAndLogPlugin(),
      ...(schema.getDirective('cacheControl') ? [] : [readsCachedAlikePlugin(config.cacheMaxAgeS)]),
      ...(config.auth.requireForReads ? [privateCachePlugin()] : []),
      autoCommitReadsPlugin(driver, config.neo4j.database),
      // After the cache-control and status plugins: the ETag and a stored answer take their
      // headers and status.
      ...cache.plugins,
    ],
  });
  await apollo.start();

  app.use((_req, res, next) => {
    res.locals.graphql = {};
    next();
  });
  app.use(requestLogger(log));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    // Ready means Neo4j answers within a second: a load balancer must not wait on a restart.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        driver.executeQuery('RETURN 1', {}, { database: config.neo4j.database }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer within 1 s')), READY_TIMEOUT_MS);
        }),
      ]);
      res.json({ ready: true, neo4j: 'reachable' });
    } catch {
      sendError(
        res,
        ErrorCode.SERVICE_UNAVAILABLE,
        `Neo4j did not answer within ${READY_TIMEOUT_MS / 1000} s.`,
        { ready: false, neo4j: 'unreachable' },
      );
    } finally {
      clearTimeout(timer);
    }
  });

  const corsPolicy = cors({
    origin: config.http.corsOrigins.length > 0 ? config.http.corsOrigins : false,
  });
  /** Every operation's context: the caller's checked token and roles, the request's limits. */
  const contextOf = async (req: express.Request, res: express.Response): Promise<AppContext> => {
    const checked = await checkedToken(
      req.headers.authorization,
      secret,
      config.auth.requireForReads,
    );
    return {
      token: checked?.header,
      sessionConfig: { database: config.neo4j.database },
      cypherParams: { homeKey },
      homeKey,
      home,
      roles: checked?.roles ?? [],
      analyst,
      maxPageSize: config.limits.maxPageSize,
      transaction: {
        timeout: config.limits.transactionTimeoutMs,
        metadata: { app: 'funding-graph', requestId: res.getHeader('x-request-id') },
      },
      requestLog: res.locals.graphql,
      answerCache: res.locals.answerCache,
    };
  };
  app.use(
    '/graphql',
    corsPolicy,
    // The media type of an answer follows Accept (media-type.ts): caches between us and the
    // client (a CDN in front of GET by id) must keep one answer per Accept.
    (_req: express.Request, res: express.Response, next: express.NextFunction) => {
      res.vary('Accept');
      next();
    },
    express.json({ limit: '100kb' }),
    trustedDocumentsMiddleware(trustedDocuments(loadSavedQueries()), {
      only: config.trustedDocumentsOnly,
      maxTokens: config.limits.maxTokens,
    }),
    // A cached answer is sent from here; anything else goes on to Apollo Server.
    cache.middleware,
    expressMiddleware(apollo, { context: ({ req, res }) => contextOf(req, res) }),
  );
  // Saved questions as CSV and JSON downloads, through the same server, context and limits.
  app.use('/export', corsPolicy, exportRouter(apollo, contextOf));
  app.use('/explore', exploreRouter(await bundleExplorer()));
  app.use('/', playgroundRouter());
  app.use(notFound());
  app.use(jsonErrors(log));
  return { httpServer, apollo, moneyTotalsSettled: () => moneyTotals.settled() };
}

/**
 * A query's statements run as auto-commit reads (store/auto-commit.ts). @neo4j/graphql runs one
 * statement per top-level field, each in a transaction of its own either way; this saves the
 * BEGIN and COMMIT around it. Mutations keep the library's write transactions.
 */
function autoCommitReadsPlugin(driver: Driver, database: string): ApolloServerPlugin<AppContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === OperationTypeNode.QUERY) {
            // The library runs anything that is neither a driver nor a session as a transaction:
            // it calls only `run` and reads the records and the counters of what it returns.
            contextValue.executionContext = autoCommitReader(
              driver,
              database,
              contextValue.transaction,
            ) as unknown as Transaction;
          }
          return Promise.resolve();
        },
      });
    },
  };
}

/**
 * Every read may be cached for `maxAge`: the SDL gives no cache hints (no @cacheControl), so
 * the policy Apollo's cache-control plugin would reach field by field is its default. Said once
 * here, before execution, it spares that plugin a policy per resolved field — about 50 ms of
 * a 1.6 MB answer (ProgrammesByFunder on the large benchmark graph, BENCHMARKS.md) — and the
 * Cache-Control header, the ETag and the response cache see the same policy as before.
 */
function readsCachedAlikePlugin(maxAge: number): ApolloServerPlugin<AppContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ operation, document, overallCachePolicy }) {
          // Only a read of the graph: introspection alone ({ __typename }, { __schema }) gets
          // no policy from that plugin either, and is not kept (it changes with a deploy, not
          // with the graph's version).
          if (
            operation?.operation === OperationTypeNode.QUERY &&
            readsTheGraph(operation, document)
          )
            overallCachePolicy.restrict({ maxAge });
          return Promise.resolve();
        },
      });
    },
  };
}

/** Whether an operation asks for a field of the schema itself, not only introspection (`__…`). */
function readsTheGraph(operation: OperationDefinitionNode, document: DocumentNode): boolean {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const seen = new Set<string>();
  const asks = (set: SelectionSetNode): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return !s.name.value.startsWith('__');
      if (s.kind === Kind.INLINE_FRAGMENT) return asks(s.selectionSet);
      const fragment = fragments.get(s.name.value);
      if (!fragment || seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return asks(fragment.selectionSet);
    });
  return asks(operation.selectionSet);
}

/** When reads need a token, answers are per caller: shared caches must not keep them. */
function privateCachePlugin(): ApolloServerPlugin<AppContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        executionDidStart({ overallCachePolicy }) {
          overallCachePolicy.restrict({ scope: 'PRIVATE' });
          return Promise.resolve();
        },
      });
    },
  };
}
