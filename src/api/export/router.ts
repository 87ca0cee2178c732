/**
 * `GET /export/<saved-question>.csv|json?<variable>=<value>…`: a saved question's answer as a
 * download, for dashboards and spreadsheets. The question runs through the same Apollo server
 * as `/graphql` — the same context (auth), limits, input rules and error codes — so an export
 * can do nothing a POST could not. Variables come from the query string, read by the
 * operation's own variable types (`year=2019` is an Int, `types=DISBURSEMENT,EXPENDITURE` a
 * list), or whole as `variables=<JSON>`.
 */
import type { ApolloServer } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import express, { type Request, type Response, type Router } from 'express';
import {
  Kind,
  parse,
  type OperationDefinitionNode,
  type TypeNode,
  type VariableDefinitionNode,
} from 'graphql';
import { sendError } from '../../errors/http.js';
import { ErrorCode } from '../../errors/index.js';
import type { AppContext } from '../context.js';
import { loadSavedQueries, type SavedQuery } from '../saved-queries.js';
import { toCsv, type Json } from './table.js';

const FORMATS = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };
type Format = keyof typeof FORMATS;
/** More query parameters than any saved question has variables is a mistake or an attack. */
const MAX_PARAMETERS = 32;

class ExportError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A query-string value read as the variable's type (lists: JSON or comma-separated). */
function valueOf(raw: string, type: TypeNode, name: string): Json {
  if (type.kind === Kind.NON_NULL_TYPE) return valueOf(raw, type.type, name);
  if (type.kind === Kind.LIST_TYPE) {
    const items = raw.trim().startsWith('[')
      ? (JSON.parse(raw) as unknown[]).map(String)
      : raw.split(',').map((s) => s.trim());
    return items.filter((s) => s !== '').map((item) => valueOf(item, type.type, name));
  }
  const scalar = type.name.value;
  if (scalar === 'Int' || scalar === 'Float') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) {
      throw new ExportError(ErrorCode.BAD_USER_INPUT, `${name}: "${raw}" is not a number`);
    }
    return n;
  }
  if (scalar === 'Boolean') {
    if (raw !== 'true' && raw !== 'false') {
      throw new ExportError(ErrorCode.BAD_USER_INPUT, `${name}: give true or false`);
    }
    return raw === 'true';
  }
  return raw;
}

function variablesOf(q: SavedQuery, query: Request['query']): Record<string, Json> {
  const entries = Object.entries(query);
  if (entries.length > MAX_PARAMETERS) {
    throw new ExportError(ErrorCode.QUERY_LIMIT_EXCEEDED, `At most ${MAX_PARAMETERS} parameters.`);
  }
  const operation = parse(q.document).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const definitions = new Map<string, VariableDefinitionNode>(
    (operation?.variableDefinitions ?? []).map((d) => [d.variable.name.value, d]),
  );
  const variables: Record<string, Json> = {};
  for (const [name, value] of entries) {
    if (typeof value !== 'string') {
      throw new ExportError(ErrorCode.BAD_USER_INPUT, `${name}: give it once, as a plain value`);
    }
    if (name === 'variables') {
      try {
        Object.assign(variables, JSON.parse(value) as Record<string, Json>);
      } catch {
        throw new ExportError(ErrorCode.BAD_USER_INPUT, 'variables: not a JSON object');
      }
      continue;
    }
    const definition = definitions.get(name);
    if (!definition) {
      throw new ExportError(
        ErrorCode.BAD_USER_INPUT,
        `${q.name} has no variable "${name}"; it takes: ${[...definitions.keys()].join(', ') || 'none'}`,
      );
    }
    try {
      variables[name] = valueOf(value, definition.type, name);
    } catch (error) {
      if (error instanceof ExportError) throw error;
      throw new ExportError(ErrorCode.BAD_USER_INPUT, `${name}: not a JSON list`);
    }
  }
  return variables;
}

export function exportRouter(
  apollo: ApolloServer<AppContext>,
  context: (req: Request, res: Response) => Promise<AppContext>,
): Router {
  const saved = new Map(loadSavedQueries().map((q) => [q.name, q]));
  const router = express.Router();
  router.get('/:file', async (req, res) => {
    const match = /^(.+)\.(csv|json)$/.exec(req.params.file);
    const q = match ? saved.get(match[1] ?? '') : undefined;
    if (!match || !q) {
      sendError(
        res,
        ErrorCode.NOT_FOUND,
        `No export ${req.params.file}: ask for <saved question>.csv or .json, one of ${[...saved.keys()].join(', ')}.`,
      );
      return;
    }
    const format = match[2] as Format;
    let variables: Record<string, Json>;
    try {
      variables = {
        ...(q.variables as Record<string, Json> | undefined),
        ...variablesOf(q, req.query),
      };
    } catch (error) {
      if (!(error instanceof ExportError)) throw error;
      sendError(res, error.code, error.message);
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(key, value);
    }
    headers.set('content-type', 'application/json');
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers,
        search: '',
        body: { query: q.document, variables, operationName: q.operationName },
      },
      context: () => context(req, res),
    });
    const text =
      result.body.kind === 'complete'
        ? result.body.string
        : JSON.stringify({ errors: [{ message: 'Unexpected streamed answer.' }] });
    const status = result.status ?? 200;
    if (status !== 200) {
      res.status(status).type('application/json').send(text);
      return;
    }
    const data = (JSON.parse(text) as { data: Record<string, Json> }).data;
    res
      .status(200)
      .type(FORMATS[format])
      .attachment(`${q.name}.${format}`)
      .send(format === 'csv' ? toCsv(data) : `${JSON.stringify(data, null, 2)}\n`);
  });
  return router;
}
