import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { Neo4jGraphQLContext } from '@neo4j/graphql';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Driver } from 'neo4j-driver';
import type { Config } from '../config/index.js';

export interface AppDeps {
  config: Config;
  driver: Driver;
  schema: GraphQLSchema;
}

export interface App {
  httpServer: http.Server;
  apollo: ApolloServer<Neo4jGraphQLContext>;
}

/** Express app: /graphql (Apollo), /health (process up), /ready (Neo4j reachable). */
export async function createApp({ config, driver, schema }: AppDeps): Promise<App> {
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Neo4jGraphQLContext>({
    schema,
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await driver.verifyConnectivity({ database: config.neo4j.database });
      res.json({ ready: true });
    } catch {
      res.status(503).json({ ready: false });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, {
      context: ({ req }) =>
        Promise.resolve({
          token: req.headers.authorization,
          sessionConfig: { database: config.neo4j.database },
        }),
    }),
  );
  return { httpServer, apollo };
}
