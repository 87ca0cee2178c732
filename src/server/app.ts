/**
 * request → **schema** → Cypher → Neo4j: the HTTP side. Express 5 with Apollo Server 5 at
 * /graphql (GET and POST), /health, /ready, and the offline playground at /.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { OperationTypeNode, type GraphQLSchema } from 'graphql';
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { ErrorCode, HTTP_STATUS } from '../errors/index.js';
import type { AnalystService } from '../graphql/analyst/analyst-service.js';
import type { AppContext } from '../graphql/context.js';
import { requireReadToken } from './auth.js';
import { formatError } from './format-error.js';
import { limitRules, pageSizePlugin } from './limits.js';
import { playgroundRouter } from './playground.js';

export interface AppDeps {
  config: Config;
  driver: Driver;
  schema: GraphQLSchema;
  analyst: AnalystService;
  homeKey: string;
  log: Logger;
}

export interface App {
  httpServer: http.Server;
  apollo: ApolloServer<AppContext>;
}

interface RequestLog {
  operationName?: string | null;
  errorCodes?: string[];
}

/** Sets the HTTP status a response's errors call for (Neo4j down: 503), and notes the operation for the request log. */
function statusAndLogPlugin(): ApolloServerPlugin<AppContext> {
  return {
    requestDidStart({ request, contextValue }) {
      const note = (contextValue as AppContext & { requestLog?: RequestLog }).requestLog;
      if (note) note.operationName = request.operationName ?? null;
      return Promise.resolve({
        didResolveOperation({ operationName, operation, overallCachePolicy }) {
          if (note && operationName) note.operationName = operationName;
          // Only reads may be cached; a mutation's answer is for its caller, once.
          if (operation?.operation !== OperationTypeNode.QUERY)
            overallCachePolicy.restrict({ maxAge: 0 });
          return Promise.resolve();
        },
        willSendResponse({ response }) {
          if (response.body.kind !== 'single') return Promise.resolve();
          const codes = (response.body.singleResult.errors ?? []).map((e) =>
            String(e.extensions?.code),
          );
          if (note) note.errorCodes = codes;
          if (codes.includes(ErrorCode.SERVICE_UNAVAILABLE))
            response.http.status = HTTP_STATUS.SERVICE_UNAVAILABLE;
          else if (codes.includes(ErrorCode.TIMEOUT)) response.http.status = HTTP_STATUS.TIMEOUT;
          return Promise.resolve();
        },
      });
    },
  };
}

export async function createApp({
  config,
  driver,
  schema,
  analyst,
  homeKey,
  log,
}: AppDeps): Promise<App> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<AppContext>({
    schema,
    // The playground's docs need introspection, in production too.
    introspection: true,
    // src/main.ts owns SIGINT/SIGTERM: it drains Apollo, then closes the Neo4j driver. Apollo's
    // own handlers would re-raise the signal and kill the process before the driver is closed.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.env === 'development',
    hideSchemaDetailsFromClientErrors: config.env === 'production',
    validationRules: limitRules(config.limits),
    parseOptions: { maxTokens: config.limits.maxTokens },
    formatError: formatError(log),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Reads of this graph change only on import: let dashboards and proxies cache them.
      ApolloServerPluginCacheControl({ defaultMaxAge: config.cacheMaxAgeS }),
      pageSizePlugin(config.limits.maxPageSize),
      statusAndLogPlugin(),
      ...(config.auth.requireForReads ? [privateCachePlugin()] : []),
    ],
  });
  await apollo.start();

  // One log line per request: method, path, status, duration and, for GraphQL, the operation.
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = req.header('x-request-id') ?? randomUUID();
    res.locals.requestId = requestId;
    res.locals.requestLog = {} satisfies RequestLog;
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      const note = res.locals.requestLog as RequestLog;
      log.info(
        {
          requestId,
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          ...(note.operationName !== undefined ? { operationName: note.operationName } : {}),
          ...(note.errorCodes?.length ? { errorCodes: note.errorCodes } : {}),
        },
        'request',
      );
    });
    next();
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await driver.executeQuery('RETURN 1', {}, { database: config.neo4j.database });
      res.json({ ready: true, neo4j: 'reachable' });
    } catch {
      res.status(503).json({ ready: false, neo4j: 'unreachable' });
    }
  });

  const secret = config.auth.jwtSecret;
  app.use(
    '/graphql',
    cors({ origin: config.http.corsOrigins.length > 0 ? config.http.corsOrigins : false }),
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        // @neo4j/graphql reads only "Bearer <jwt>"; accept any capitalisation of the scheme.
        const token = req.headers.authorization?.replace(/^bearer\s+/i, 'Bearer ');
        if (config.auth.requireForReads) await requireReadToken(token, secret);
        const context: AppContext & { requestLog: RequestLog } = {
          token,
          sessionConfig: { database: config.neo4j.database },
          cypherParams: { homeKey },
          homeKey,
          analyst,
          transaction: {
            timeout: config.limits.transactionTimeoutMs,
            metadata: { app: 'funding-graph', requestId: String(res.locals.requestId) },
          },
          requestLog: res.locals.requestLog as RequestLog,
        };
        return context;
      },
    }),
  );
  app.use('/', playgroundRouter());
  return { httpServer, apollo };
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
