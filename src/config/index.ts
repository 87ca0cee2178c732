/**
 * The one module that reads the environment. Every variable is parsed and validated here at
 * start-up; a bad configuration stops the process with every problem listed at once.
 * README.md (Configuration) and .env.example document each variable and its default.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { InputLimits } from '../api/input-size.js';
import { ConfigError } from '../errors/expected.js';

/** The project's root folder (where package.json lives). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const byteSize = z
  .string()
  .regex(/^\d+[kmg]$/i, 'a size such as 512m or 2g')
  .transform((s) => s.toLowerCase());

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

const envSchema = z
  .object({
    // production unless told otherwise: no stack traces or schema hints reach clients.
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),

    NEO4J_URI: z
      .string()
      .regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/.+/, 'a neo4j:// or bolt:// URI')
      .optional(),
    NEO4J_USERNAME: z.string().min(1).default('neo4j'),
    NEO4J_PASSWORD: z.string().min(8, 'at least 8 characters (Neo4j 5 refuses shorter)').optional(),
    NEO4J_DATABASE: z.string().min(1).default('neo4j'),

    NEO4J_LOCAL_DIR: z.string().min(1).default('.neo4j/data'),
    NEO4J_LOCAL_PORT: port.default(7687),
    NEO4J_LOCAL_HEAP: byteSize.default('1g'),
    NEO4J_LOCAL_PAGECACHE: byteSize.default('512m'),
    NEO4J_LOCAL_START_TIMEOUT_S: positiveInt.default(240),

    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(4000),
    HOME_ORGANISATION: z.string().min(1).optional(),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url('each origin a URL such as https://dashboard.example.org'))),

    AUTH_JWT_SECRET: z.string().min(32, 'at least 32 characters for HS256').optional(),
    AUTH_REQUIRE_FOR_READS: z
      .enum(['true', 'false'])
      .default('false')
      .transform((s) => s === 'true'),

    NEO4J_TX_TIMEOUT_MS: positiveInt.default(5000),
    NEO4J_ACQUISITION_TIMEOUT_MS: positiveInt.default(2000),
    LIMIT_MAX_DEPTH: positiveInt.default(10),
    LIMIT_MAX_COST: positiveInt.default(1_000_000),
    LIMIT_LIST_ESTIMATE: positiveInt.default(20),
    LIMIT_MAX_FILTER_DEPTH: positiveInt.default(3),
    LIMIT_MAX_INPUT_DEPTH: positiveInt.default(16),
    LIMIT_MAX_INPUT_VALUES: positiveInt.default(500),
    LIMIT_MAX_LIST_LENGTH: positiveInt.default(100),
    LIMIT_MAX_STRING_LENGTH: positiveInt.default(1000),
    LIMIT_MAX_ALIASES: positiveInt.default(15),
    LIMIT_MAX_TOKENS: positiveInt.default(2000),
    LIMIT_MAX_PAGE_SIZE: positiveInt.default(100),
    CACHE_MAX_AGE_S: z.coerce.number().int().min(0).default(60),
    RESPONSE_CACHE_MB: z.coerce.number().int().min(0).default(64),
    RESPONSE_CACHE_TTL_S: positiveInt.default(3600),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\/.+/, 'a redis:// or rediss:// URL')
      .optional(),
    TRUSTED_DOCUMENTS_ONLY: z
      .enum(['true', 'false'])
      .default('false')
      .transform((s) => s === 'true'),
  })
  .superRefine((env, ctx) => {
    if (env.AUTH_REQUIRE_FOR_READS && !env.AUTH_JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_JWT_SECRET'],
        message: 'required when AUTH_REQUIRE_FOR_READS=true',
      });
    }
    if (env.NEO4J_URI && !env.NEO4J_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['NEO4J_PASSWORD'],
        message: 'required when NEO4J_URI points at an existing database',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface LocalNeo4jConfig {
  /** Data, logs and pid file of the local Neo4j. */
  dir: string;
  port: number;
  heap: string;
  pageCache: string;
  startTimeoutMs: number;
}

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  neo4j: {
    uri: string;
    username: string;
    password: string;
    database: string;
    /** Set when NEO4J_URI is unset: the project starts and uses its own local Neo4j. */
    local: LocalNeo4jConfig | undefined;
  };
  http: { host: string; port: number; corsOrigins: string[] };
  /** Key of the home organisation ("we"); undefined: the one recorded in the graph (store/home.ts). */
  homeOrganisation: string | undefined;
  auth: {
    /** HS256 secret that signs tokens. Unset: no token is valid, so mutations are refused. */
    jwtSecret: string | undefined;
    requireForReads: boolean;
  };
  limits: {
    transactionTimeoutMs: number;
    /** How long a request waits for a Neo4j connection before it is told 503. */
    acquisitionTimeoutMs: number;
    maxDepth: number;
    /** The estimated number of objects an answer may hold. */
    maxCost: number;
    /** The estimated length of a list that has no page size (the analyst's answers). */
    listEstimate: number;
    input: InputLimits;
    maxAliases: number;
    maxTokens: number;
    maxPageSize: number;
  };
  cacheMaxAgeS: number;
  /** Run only the saved questions of queries/ (by id or by their text): api/trusted-documents.ts. */
  trustedDocumentsOnly: boolean;
  /** Read answers cached by graph version (api/response-cache.ts): in process, or in Redis. */
  responseCache: { memoryMb: number; redisUrl: string | undefined; ttlS: number };
}

/** The password of the local Neo4j when NEO4J_PASSWORD is unset. It listens on 127.0.0.1 only. */
export const LOCAL_DEFAULT_PASSWORD = 'funding-graph-local';

/** Every variable the configuration reads. */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as (keyof Env)[];

/** The variables, parsed and validated, defaults filled in; throws ConfigError listing every problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as in a shell's `VAR= command`.
  const set = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = envSchema.safeParse(set);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  return result.data;
}

export function parseConfig(source: Record<string, string | undefined>): Config {
  const env = parseEnv(source);
  const local: LocalNeo4jConfig | undefined = env.NEO4J_URI
    ? undefined
    : {
        dir: path.resolve(projectRoot, env.NEO4J_LOCAL_DIR),
        port: env.NEO4J_LOCAL_PORT,
        heap: env.NEO4J_LOCAL_HEAP,
        pageCache: env.NEO4J_LOCAL_PAGECACHE,
        startTimeoutMs: env.NEO4J_LOCAL_START_TIMEOUT_S * 1000,
      };
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    neo4j: {
      uri: env.NEO4J_URI ?? `bolt://127.0.0.1:${env.NEO4J_LOCAL_PORT}`,
      username: env.NEO4J_USERNAME,
      password: env.NEO4J_PASSWORD ?? LOCAL_DEFAULT_PASSWORD,
      database: env.NEO4J_DATABASE,
      local,
    },
    http: { host: env.HOST, port: env.PORT, corsOrigins: env.CORS_ORIGINS },
    homeOrganisation: env.HOME_ORGANISATION,
    auth: { jwtSecret: env.AUTH_JWT_SECRET, requireForReads: env.AUTH_REQUIRE_FOR_READS },
    limits: {
      transactionTimeoutMs: env.NEO4J_TX_TIMEOUT_MS,
      acquisitionTimeoutMs: env.NEO4J_ACQUISITION_TIMEOUT_MS,
      maxDepth: env.LIMIT_MAX_DEPTH,
      maxCost: env.LIMIT_MAX_COST,
      listEstimate: env.LIMIT_LIST_ESTIMATE,
      input: {
        filterDepth: env.LIMIT_MAX_FILTER_DEPTH,
        depth: env.LIMIT_MAX_INPUT_DEPTH,
        values: env.LIMIT_MAX_INPUT_VALUES,
        listLength: env.LIMIT_MAX_LIST_LENGTH,
        stringLength: env.LIMIT_MAX_STRING_LENGTH,
      },
      maxAliases: env.LIMIT_MAX_ALIASES,
      maxTokens: env.LIMIT_MAX_TOKENS,
      maxPageSize: env.LIMIT_MAX_PAGE_SIZE,
    },
    cacheMaxAgeS: env.CACHE_MAX_AGE_S,
    trustedDocumentsOnly: env.TRUSTED_DOCUMENTS_ONLY,
    responseCache: {
      memoryMb: env.RESPONSE_CACHE_MB,
      redisUrl: env.REDIS_URL,
      ttlS: env.RESPONSE_CACHE_TTL_S,
    },
  };
}

let cached: Config | undefined;

/** The configuration of this process, parsed from its environment once. */
export function loadConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
