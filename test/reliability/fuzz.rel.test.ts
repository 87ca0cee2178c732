/**
 * A fuzz of the GraphQL endpoint: operations generated from the real schema (the SDL in
 * src/generated/schema.graphql), valid and invalid, answered without ever failing badly. Every
 * answer has an allowed status (200, 400, 401, 403, 404, 413: never 5xx), is JSON, carries no
 * errors when it is a 200, and otherwise names a code of src/errors whose HTTP status is the
 * status sent; no stack trace leaks. Operations that graphql-js itself refuses (parse,
 * validation, operation name or variables, checked locally against the same schema) must be
 * 400s, and mutations, sent without a token, are never a 200. /health stays under 1 s
 * throughout, and the graph does not change.
 *
 * Deterministic: FUZZ_SEED (printed) and FUZZ_RUNS (default 300) reproduce a run; a failure
 * lists each case with its operation, operation name, variables and the response, and
 * FUZZ_SERVER_LOG=1 prints the server's error log (the causes behind a masked 500).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  getDirectiveValues,
  getIntrospectionQuery,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLBoolean,
  GraphQLIncludeDirective,
  GraphQLNonNull,
  GraphQLSkipDirective,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  lexicographicSortSchema,
  Lexer,
  OperationTypeNode,
  parse,
  printSchema,
  Source,
  TokenKind,
  validate,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type SelectionSetNode,
} from 'graphql';
import type { Driver } from 'neo4j-driver';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { random } from '../../src/ingest/synthetic/generate.js';
import { HTTP_STATUS, isErrorCode } from '../../src/errors/index.js';
import { graphFingerprint } from '../support/neo4j.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ms, record, send, whileWatchingHealth, type RawResponse } from './support.js';

// eslint-disable-next-line no-restricted-properties -- the fuzz's own knobs, not the server's configuration
const { FUZZ_SEED, FUZZ_RUNS, FUZZ_SERVER_LOG } = process.env;
const SEED = FUZZ_SEED ? Number.parseInt(FUZZ_SEED, 10) >>> 0 : 20_250_601;
const RUNS = FUZZ_RUNS ? Number.parseInt(FUZZ_RUNS, 10) : 300;
/** Sent all at once after the sequence. */
const BATCH = 20;
/** Well under the server's LIMIT_MAX_TOKENS (2000): a document is regenerated when longer. */
const MAX_TOKENS = 1200;
const INVALID_SHARE = 0.4;
const MUTATION_SHARE = 0.2;
const SECRET = 'fuzz-secret-that-is-long-enough-for-hs256!';
const SDL = path.join(projectRoot, 'src', 'generated', 'schema.graphql');
// 404: an analyst field about a node that is not in the graph (`neighbourhood` of a random key).
const ALLOWED_STATUS = new Set([200, 400, 401, 403, 404, 413]);
const REQUEST_TIMEOUT_MS = 30_000;

const b64 = (s: string) => Buffer.from(s).toString('base64');

const STRINGS = [
  '',
  ' ',
  'tui',
  'plan-international-nederland',
  'ministerie-bhos',
  'terre-des-hommes-nederland',
  'Plan',
  'Terre des Hommes',
  'ET',
  'NL',
  'Ethiopia',
  'Ethiopië',
  '10',
  '22',
  'XM-DAC-2-10',
  '😀',
  '\u202eevil\u202c',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'zero\u200bwidth',
  'ñandú',
  '中文名称',
  '"}) DETACH DELETE n //',
  "' OR 1=1 --",
  '`) MATCH (n) DETACH DELETE n //',
  '"}) WITH 1 AS x CALL db.clearQueryCaches() //',
  '$homeKey',
  '{homeKey}',
  'plan AND (terre OR "des") NOT ~x* [a TO z]',
  '*',
  '?',
  '~',
  '\\',
  '/.*/',
  '((',
  'NULL',
  'null',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%s%s%n',
  b64('arrayconnection:0'),
  b64('arrayconnection:-1'),
  b64('arrayconnection:99999999999999'),
  b64('arrayconnection:x'),
  b64('{"offset": 1}'),
  'not-a-cursor!',
];
const CHARS = [
  ...'abcXYZ019 _-.:/\\"\'{}()[]*?~^!&|+<>@#$%`',
  '\n',
  '\t',
  '\u0000',
  '\u0001',
  '\u007f',
  'é',
  'ñ',
  '中',
  '\u202e',
  '\u200b',
  '😀',
];
const INTS = [0, 1, 2, 3, 5, 10, 20, 99, 100, 101, 1000, -1, -2, -100, 2010, 2015, 2020];
/** The bounds of a 32-bit Int, and past them (not an Int: refused). */
const HUGE_INTS = [2147483647, -2147483648, 2147483648, -2147483649, 9007199254740991, 1e20];
const FLOATS = [0, 1, 1.5, -2.25, 0.1, 1e-300, 1e308, -1e308, 123456789.123];
const GARBAGE = ['{', '}', '(', ')', '[', ']', '$', '@', '!', ':', '=', '"', '\\', '...', '\u0000'];
const WRONG_VARIABLE_TYPES = ['Boolean', 'String!', '[Int]', 'Float', 'FuzzNoType', 'Organisation'];
const DOCUMENT_FAULTS = [
  'syntax',
  'syntax',
  'operationName',
  'variableType',
  'undeclaredVariable',
  'unusedVariable',
  'missingVariableValue',
  'variablesNotObject',
  'twoOperations',
] as const;
type DocumentFault = (typeof DOCUMENT_FAULTS)[number];

interface Val {
  lit: string;
  json: unknown;
}
const NULL: Val = { lit: 'null', json: null };

interface Op {
  n: number;
  kind: 'query' | 'mutation';
  query: string;
  variables?: unknown;
  operationName?: string;
  /** What was broken on purpose (empty: meant to be valid). */
  faults: string[];
}

type AnyField = GraphQLField<unknown, unknown>;

/** Chance that an optional argument is given, at the root or on a nested field. */
function argumentChance(name: string, top: boolean): number {
  switch (name) {
    case 'limit':
    case 'first':
      return top ? 0.6 : 0.5;
    case 'where':
      return top ? 0.5 : 0.12;
    case 'offset':
    case 'sort':
    case 'after':
      return top ? 0.3 : 0.08;
    default:
      return top ? 0.5 : 0.2;
  }
}

class Fuzzer {
  private defs: string[] = [];
  private values: Record<string, unknown> = {};
  private fragments: string[] = [];
  private names = 0;
  private corruptChance = 0;
  private faults: string[] = [];

  constructor(
    private readonly rnd: () => number,
    private readonly schema: GraphQLSchema,
  ) {}

  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  private chance(p: number): boolean {
    return this.rnd() < p;
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  private sample<T>(items: readonly T[], k: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < k && pool.length > 0) out.push(pool.splice(this.int(pool.length), 1)[0]!);
    return out;
  }

  /** Whether to break this spot (only in operations meant to be invalid); notes what. */
  private corrupting(what: string): boolean {
    if (!this.chance(this.corruptChance)) return false;
    this.faults.push(what);
    return true;
  }

  operation(n: number): Op {
    for (let attempt = 0; ; attempt++) {
      const op = this.attempt(n);
      if (tokenCount(op.query) <= MAX_TOKENS || attempt >= 30) return op;
    }
  }

  private attempt(n: number): Op {
    this.defs = [];
    this.values = {};
    this.fragments = [];
    this.names = 0;
    this.faults = [];
    const invalid = this.chance(INVALID_SHARE);
    const documentFault: DocumentFault | undefined =
      invalid && this.chance(0.35) ? this.pick(DOCUMENT_FAULTS) : undefined;
    this.corruptChance = invalid && !documentFault ? 0.1 : 0;
    const kind = this.chance(MUTATION_SHARE) ? 'mutation' : 'query';
    const root = kind === 'mutation' ? this.schema.getMutationType() : this.schema.getQueryType();
    if (!root) throw new Error(`the schema has no ${kind} type`);
    const maxDepth = 2 + this.int(4);
    const fields = this.sample(
      Object.values(root.getFields()),
      kind === 'mutation' ? 1 : 1 + this.int(3),
    );
    const selections = fields.map((f) => this.field(f, 1, maxDepth, true, false));
    if (invalid && !documentFault && this.faults.length === 0) {
      this.faults.push('unknown field');
      selections.push('fuzzUnknownField');
    }
    if (documentFault) this.faults.push(documentFault);

    const defs = [...this.defs];
    const values: Record<string, unknown> = { ...this.values };
    const valueNames = Object.keys(values);
    let fault = documentFault;
    if (fault === 'variableType' && defs.length > 0) {
      const i = this.int(defs.length);
      defs[i] = defs[i]!.replace(/:.*$/, `: ${this.pick(WRONG_VARIABLE_TYPES)}`);
    } else if (fault === 'undeclaredVariable' && defs.length > 0) {
      defs.splice(this.int(defs.length), 1);
    } else if (fault === 'missingVariableValue' && valueNames.length > 0) {
      delete values[this.pick(valueNames)];
    } else if (
      fault === 'variableType' ||
      fault === 'undeclaredVariable' ||
      fault === 'missingVariableValue' ||
      fault === 'unusedVariable'
    ) {
      fault = 'unusedVariable';
      defs.push('$fuzzUnused: Int');
    }

    const named = this.chance(0.5) ? `Fuzz${n}` : undefined;
    const header =
      kind === 'mutation' || named || defs.length > 0 || this.chance(0.2)
        ? `${kind}${named ? ` ${named}` : ''}${defs.length > 0 ? `(${defs.join(', ')})` : ''} `
        : '';
    let query = `${header}{ ${selections.join(' ')} }${this.fragments.map((f) => ` ${f}`).join('')}`;
    let variables: unknown =
      defs.length > 0 || this.chance(0.1) ? values : this.chance(0.03) ? null : undefined;
    let operationName = named && this.chance(0.5) ? named : undefined;
    switch (fault) {
      case 'syntax':
        query = this.mangle(query);
        break;
      case 'operationName':
        operationName = 'FuzzNoSuchOperation';
        break;
      case 'variablesNotObject':
        variables = this.pick<unknown>(['not an object', [1, 2], 42, true]);
        break;
      case 'twoOperations':
        query += ' query FuzzOther { __typename }';
        break;
      default:
        break;
    }
    return {
      n,
      kind,
      query,
      ...(variables !== undefined ? { variables } : {}),
      ...(operationName ? { operationName } : {}),
      faults: [...this.faults],
    };
  }

  private mangle(text: string): string {
    const at = this.int(text.length);
    switch (this.int(4)) {
      case 0:
        return text.slice(0, at);
      case 1:
        return text.slice(0, at) + this.pick(GARBAGE) + text.slice(at);
      case 2:
        return text.slice(0, at) + text.slice(at + 1 + this.int(8));
      default:
        return text.replace(this.pick(['{', '}', '(', ':']), this.pick(['(', ']', '', '{{']));
    }
  }

  private field(
    f: AnyField,
    depth: number,
    maxDepth: number,
    top: boolean,
    alias: boolean,
  ): string {
    const type = getNamedType(f.type);
    const name = alias || this.chance(0.08) ? `a${++this.names}: ${f.name}` : f.name;
    const directive = this.chance(0.04)
      ? ` @${this.pick(['skip', 'include'])}(if: ${this.value(new GraphQLNonNull(GraphQLBoolean), 1, true).lit})`
      : '';
    const head = `${name}${this.args(f, top)}${directive}`;
    if (isLeafType(type)) return head;
    return `${head} { ${this.wrap(type, this.selection(type, depth, maxDepth))} }`;
  }

  private args(f: AnyField, top: boolean): string {
    const parts: string[] = [];
    for (const arg of f.args) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (
        required
          ? this.corrupting(`missing required argument ${arg.name}`)
          : !this.chance(argumentChance(arg.name, top))
      ) {
        continue;
      }
      parts.push(`${arg.name}: ${this.argument(arg)}`);
    }
    if (this.corrupting('unknown argument'))
      parts.push(`fuzzUnknownArg: ${this.scalar('Int').lit}`);
    return parts.length > 0 ? `(${parts.join(', ')})` : '';
  }

  /** A third of the arguments as a variable; some literals with variables inside. */
  private argument(arg: GraphQLArgument): string {
    const mode = this.rnd();
    if (mode < 1 / 3) return this.variable(arg.type, this.value(arg.type, 0, false)).lit;
    return this.value(arg.type, 0, mode < 0.45).lit;
  }

  private variable(type: GraphQLInputType, v: Val): Val {
    const name = `v${++this.names}`;
    if (this.chance(0.1)) {
      // Given as the variable's default value instead of in `variables`.
      this.defs.push(`$${name}: ${type.toString()} = ${v.lit}`);
    } else {
      this.defs.push(`$${name}: ${type.toString()}`);
      this.values[name] = v.json;
    }
    return { lit: `$${name}`, json: v.json };
  }

  private value(type: GraphQLInputType, depth: number, vars: boolean, nullable = true): Val {
    if (this.corrupting('wrong value')) return this.wrongValue(type);
    if (vars && depth > 0 && isLeafType(getNamedType(type)) && this.chance(0.3)) {
      return this.variable(type, this.value(type, depth, false));
    }
    if (isNonNullType(type)) return this.value(type.ofType, depth, vars, false);
    if (nullable && depth > 0 && this.chance(0.05)) return NULL;
    if (isListType(type)) {
      const itemType = type.ofType;
      // A single item where a list is expected: coerced to a list of one.
      if (this.chance(0.12)) return this.value(itemType, depth + 1, vars);
      const items = Array.from({ length: this.int(depth > 2 ? 2 : 4) }, () =>
        this.value(itemType, depth + 1, vars),
      );
      return { lit: `[${items.map((i) => i.lit).join(', ')}]`, json: items.map((i) => i.json) };
    }
    if (isEnumType(type)) {
      const name = this.pick(type.getValues()).name;
      return { lit: name, json: name };
    }
    if (isScalarType(type)) return this.scalar(type.name);
    if (!isInputObjectType(type)) throw new Error(`unexpected input type ${String(type)}`);
    const fields = Object.values(type.getFields());
    const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    const optional = fields.filter((f) => !required.includes(f));
    const chosen = [
      ...required.filter((f) => !this.corrupting(`missing input field ${f.name}`)),
      ...this.sample(optional, depth >= 5 ? 0 : this.int(depth < 2 ? 4 : 2)),
    ];
    const entries = chosen.map((f) => [f.name, this.value(f.type, depth + 1, vars)] as const);
    if (this.corrupting('unknown input field')) entries.push(['fuzzUnknownInput', this.scalar('')]);
    return {
      lit:
        entries.length > 0 ? `{ ${entries.map(([k, v]) => `${k}: ${v.lit}`).join(', ')} }` : '{}',
      json: Object.fromEntries(entries.map(([k, v]) => [k, v.json])),
    };
  }

  private scalar(name: string): Val {
    const number = (n: number): Val => ({ lit: String(n), json: n });
    switch (name) {
      case 'Int':
        return number(this.pick(this.chance(0.1) ? HUGE_INTS : INTS));
      case 'Float':
        return number(this.pick(FLOATS));
      case 'Boolean': {
        const b = this.chance(0.5);
        return { lit: String(b), json: b };
      }
      default: {
        const s = this.string();
        return { lit: JSON.stringify(s), json: s };
      }
    }
  }

  private string(): string {
    const r = this.rnd();
    // Past LIMIT_MAX_STRING_LENGTH (1000).
    if (r < 0.02) return 'x'.repeat(1001 + this.int(500));
    // Many words within it: more clauses than a search takes.
    if (r < 0.04) return 'a '.repeat(100 + this.int(350));
    if (r < 0.25) {
      return Array.from({ length: 1 + this.int(12) }, () => this.pick(CHARS)).join('');
    }
    return this.pick(STRINGS);
  }

  private wrongValue(type: GraphQLInputType): Val {
    const named = getNamedType(type);
    const options: Val[] = [
      {
        lit: '{ fuzz: { deeper: [1, "two", null] } }',
        json: { fuzz: { deeper: [1, 'two', null] } },
      },
      { lit: '[[[]]]', json: [[[]]] },
    ];
    if (isNonNullType(type)) options.push(NULL, NULL);
    if (isEnumType(named)) {
      const first = named.getValues()[0]?.name ?? 'X';
      options.push(
        { lit: 'FUZZ_NOT_A_VALUE', json: 'FUZZ_NOT_A_VALUE' },
        { lit: JSON.stringify(first), json: 3 },
      );
    } else if (isInputObjectType(named)) {
      options.push(
        { lit: '{ fuzzUnknown: 1 }', json: { fuzzUnknown: 1 } },
        { lit: '"an object"', json: 'an object' },
        { lit: '7', json: 7 },
      );
    } else if (named.name === 'Int') {
      options.push(
        { lit: '"12"', json: '12' },
        { lit: '1.5', json: 1.5 },
        { lit: '2147483648', json: 2147483648 },
        { lit: '-99999999999999999999', json: -1e20 },
        { lit: 'true', json: true },
      );
    } else if (named.name === 'Float') {
      options.push({ lit: '"1.5"', json: '1.5' }, { lit: 'NaN', json: 'NaN' });
    } else if (named.name === 'Boolean') {
      options.push({ lit: '"true"', json: 'true' }, { lit: '1', json: 1 });
    } else {
      options.push(
        { lit: '42', json: 42 },
        { lit: 'FUZZ_ENUM', json: false },
        { lit: '["a"]', json: ['a'] },
      );
    }
    return this.pick(options);
  }

  private selection(type: GraphQLNamedType, depth: number, maxDepth: number): string {
    if (!isObjectType(type)) return '__typename';
    const fields = Object.values(type.getFields()) as AnyField[];
    const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
    const composites =
      depth + 1 < maxDepth ? fields.filter((f) => !isLeafType(getNamedType(f.type))) : [];
    const parts: string[] = [];
    const used = new Set<string>();
    const count = 1 + this.int(depth >= 3 ? 2 : 4);
    for (let i = 0; i < count; i++) {
      if (this.corrupting('bad selection')) {
        parts.push(this.badSelection(fields));
        continue;
      }
      const deeper = composites.length > 0 && (leaves.length === 0 || this.chance(0.4));
      if (!deeper && leaves.length === 0) {
        parts.push('__typename');
        continue;
      }
      const f = this.pick(deeper ? composites : leaves);
      parts.push(this.field(f, depth + 1, maxDepth, false, used.has(f.name)));
      used.add(f.name);
    }
    if (this.chance(0.05)) parts.push('__typename');
    return parts.join(' ');
  }

  private badSelection(fields: AnyField[]): string {
    const leaf = fields.find((f) => isLeafType(getNamedType(f.type)));
    const composite = fields.find((f) => !isLeafType(getNamedType(f.type)));
    const options = [
      'fuzzUnknownField',
      'fuzzUnknownField { key }',
      '... on FuzzNoType { __typename }',
      '...FuzzMissingFragment',
      '__schema { queryType { name } }',
      '__typename(fuzz: 1)',
    ];
    if (leaf) options.push(`${leaf.name} { key }`);
    if (composite) options.push(composite.name);
    return this.pick(options);
  }

  /** Sometimes an inline fragment or a named one. */
  private wrap(type: GraphQLNamedType, selection: string): string {
    const r = this.rnd();
    if (r < 0.08) return `... on ${type.name} { ${selection} }`;
    if (r < 0.14) {
      const name = `F${++this.names}`;
      this.fragments.push(`fragment ${name} on ${type.name} { ${selection} }`);
      return `...${name}`;
    }
    return selection;
  }
}

function tokenCount(text: string): number {
  const lexer = new Lexer(new Source(text));
  let n = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) n++;
  } catch {
    // a document that does not lex: counted up to there
  }
  return n;
}

interface Verdict {
  /** graphql-js accepts the request: it parses, validates, names an operation, its variables fit. */
  valid: boolean;
  why: string;
  /** A mutation that runs a field (not all skipped by @skip/@include, not just __typename). */
  mutation: boolean;
}

/** Whether a selection set runs a field other than __typename, @skip and @include applied. */
function runsAField(
  selectionSet: SelectionSetNode,
  document: DocumentNode,
  variables: Record<string, unknown>,
): boolean {
  return selectionSet.selections.some((s) => {
    if (getDirectiveValues(GraphQLSkipDirective, s, variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, s, variables)?.if === false) return false;
    if (s.kind === Kind.FIELD) return !s.name.value.startsWith('__');
    if (s.kind === Kind.INLINE_FRAGMENT) return runsAField(s.selectionSet, document, variables);
    const fragment = document.definitions.find(
      (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value,
    );
    return fragment?.kind === Kind.FRAGMENT_DEFINITION
      ? runsAField(fragment.selectionSet, document, variables)
      : false;
  });
}

/** What graphql-js itself says of the request, against the same schema. */
function judge(schema: GraphQLSchema, op: Op): Verdict {
  let mutation = op.kind === 'mutation';
  const refuse = (why: string): Verdict => ({ valid: false, why, mutation });
  const { variables } = op;
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  ) {
    return refuse('variables is not an object');
  }
  let document: DocumentNode;
  try {
    document = parse(op.query);
  } catch (error) {
    return refuse(`does not parse: ${(error as Error).message}`);
  }
  const operation = getOperationAST(document, op.operationName);
  if (operation) mutation = operation.operation === OperationTypeNode.MUTATION;
  const errors = validate(schema, document);
  if (errors.length > 0) return refuse(`invalid: ${errors[0]!.message}`);
  if (!operation) return refuse('no operation to run');
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    (variables ?? {}) as Record<string, unknown>,
  );
  if (coerced.errors) return refuse(`variables: ${coerced.errors[0]!.message}`);
  return {
    valid: true,
    why: 'valid',
    mutation: mutation && runsAField(operation.selectionSet, document, coerced.coerced),
  };
}

interface Outcome {
  op: Op;
  verdict: Verdict;
  status: number;
  code: string;
  problems: string[];
  response: string;
  data?: unknown;
}

async function run(baseUrl: string, schema: GraphQLSchema, op: Op): Promise<Outcome> {
  const verdict = judge(schema, op);
  const body = {
    query: op.query,
    ...('variables' in op ? { variables: op.variables } : {}),
    ...(op.operationName ? { operationName: op.operationName } : {}),
  };
  let r: RawResponse;
  try {
    r = await send(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const message = `no response: ${String(error)}`;
    return { op, verdict, status: 0, code: '', problems: [message], response: message };
  }
  const problems = check(r, verdict);
  const first = r.json.errors?.[0]?.extensions?.code;
  return {
    op,
    verdict,
    status: r.status,
    code: typeof first === 'string' ? first : '',
    problems,
    response: `${r.status} ${r.contentType}: ${r.text.slice(0, 1500)}`,
    data: r.json.data,
  };
}

/** Everything wrong with one answer (empty when it is fine). */
function check(r: RawResponse, verdict: Verdict): string[] {
  const problems: string[] = [];
  if (!ALLOWED_STATUS.has(r.status)) {
    problems.push(`status ${r.status} is not one of ${[...ALLOWED_STATUS].join(', ')}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(r.text);
  } catch {
    problems.push('the body is not JSON');
    return problems;
  }
  if (!/application\/(graphql-response\+)?json/.test(r.contentType)) {
    problems.push(`content-type ${r.contentType} is not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    problems.push('the body is not a JSON object');
    return problems;
  }
  const errors = (body as { errors?: unknown }).errors;
  const list = Array.isArray(errors) ? (errors as unknown[]) : [];
  if (errors !== undefined && !Array.isArray(errors)) problems.push('`errors` is not a list');
  if (r.status === 200 && errors !== undefined) problems.push('a 200 with `errors`');
  if (r.status !== 200) {
    const code = (list[0] as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
    if (!isErrorCode(code)) {
      problems.push(
        `errors[0].extensions.code ${JSON.stringify(code)} is not a code of src/errors`,
      );
    } else if (HTTP_STATUS[code] !== r.status) {
      problems.push(`code ${code} has HTTP status ${HTTP_STATUS[code]}, not ${r.status}`);
    }
  }
  for (const e of list) {
    const extensions = (e as { extensions?: unknown } | null)?.extensions;
    if (typeof extensions === 'object' && extensions !== null && 'stacktrace' in extensions) {
      problems.push('an error carries extensions.stacktrace');
    }
  }
  if (!verdict.valid && r.status !== 400) {
    problems.push(`graphql-js refuses the request (${verdict.why}), but the status is not 400`);
  }
  if (verdict.mutation && r.status === 200) problems.push('a mutation without a token was run');
  if (verdict.valid && verdict.mutation && r.status !== 400 && r.status !== 401) {
    problems.push('a valid mutation without a token is neither refused (401) nor limited (400)');
  }
  return problems;
}

function describeFailure(o: Outcome): string {
  return [
    `#${o.op.n} (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}): ${o.problems.join('; ')}`,
    `  broken on purpose: ${o.op.faults.join(', ') || 'nothing'}; graphql-js: ${o.verdict.why}`,
    `  operation: ${o.op.query}`,
    ...(o.op.operationName ? [`  operationName: ${o.op.operationName}`] : []),
    `  variables: ${'variables' in o.op ? JSON.stringify(o.op.variables) : '(none)'}`,
    `  response: ${o.response}`,
  ].join('\n');
}

const tally = (keys: string[]) => {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
};

describe('fuzz: random operations from the schema', () => {
  let server: TestServer;
  let driver: Driver;
  let before = '';
  beforeAll(async () => {
    server = await startTestServer({
      overrides: { AUTH_JWT_SECRET: SECRET },
      // FUZZ_SERVER_LOG=1: the server's error log, with the causes a 500 masks.
      ...(FUZZ_SERVER_LOG ? { log: pino({ level: 'error' }) } : {}),
    });
    driver = server.driver;
    before = await graphFingerprint(driver);
  });
  afterAll(() => server?.close());

  it(`${RUNS} operations in sequence and ${BATCH} at once, seed ${SEED}`, async () => {
    console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
    // The client's schema: the SDL the server's schema is printed to. Introspection may be
    // refused by the depth limit (then it must be a clean 400); when it is answered, it must
    // describe the same schema, so that graphql-js judges requests as the server does.
    const schema = buildSchema(readFileSync(SDL, 'utf8'));
    const introspected = await run(server.url, schema, {
      n: 0,
      kind: 'query',
      query: getIntrospectionQuery(),
      faults: [],
    });
    if (introspected.status === 200) {
      const served = buildClientSchema(introspected.data as IntrospectionQuery);
      expect(printSchema(lexicographicSortSchema(served)), 'the SDL is the served schema').toBe(
        printSchema(lexicographicSortSchema(schema)),
      );
    }

    const fuzzer = new Fuzzer(random(SEED), schema);
    const ops = Array.from({ length: RUNS + BATCH }, (_, i) => fuzzer.operation(i + 1));
    const sequence = ops.slice(0, RUNS);
    const batch = ops.slice(RUNS);
    const {
      result,
      ms: took,
      healthMaxMs,
      healthFailures,
    } = await whileWatchingHealth(server.url, async () => {
      const out: Outcome[] = [];
      for (const op of sequence) out.push(await run(server.url, schema, op));
      out.push(...(await Promise.all(batch.map((op) => run(server.url, schema, op)))));
      return out;
    });
    const outcomes = [introspected, ...result];

    const byStatus = tally(outcomes.map((o) => String(o.status)));
    const byCode = tally(outcomes.map((o) => `${o.status}${o.code ? ` ${o.code}` : ''}`));
    const valid = outcomes.filter((o) => o.verdict.valid).length;
    const mutations = outcomes.filter((o) => o.op.kind === 'mutation').length;
    const withVariables = outcomes.filter((o) => /\$(v\d+|fuzzUnused)\b/.test(o.op.query)).length;
    console.log(
      `fuzz: ${outcomes.length} operations (${valid} valid for graphql-js, ${outcomes.length - valid} not; ${mutations} mutations; ${withVariables} with variables) in ${ms(took)}; /health max ${ms(healthMaxMs)}, ${healthFailures} failures\n` +
        `fuzz: by status ${byStatus}\nfuzz: by status and code ${byCode}\n` +
        `fuzz: introspection answered ${introspected.status}${introspected.code ? ` ${introspected.code}` : ''}`,
    );

    // Soft: every figure is checked (and recorded) even when answers were wrong.
    const failures = outcomes.filter((o) => o.problems.length > 0);
    const after = await graphFingerprint(driver);
    expect
      .soft(
        failures.length,
        `${failures.length} of ${outcomes.length} answers were wrong (${tally(
          failures.flatMap((o) => o.problems),
        )}):\n\n${failures.slice(0, 30).map(describeFailure).join('\n\n')}`,
      )
      .toBe(0);
    expect.soft(healthFailures, '/health failures').toBe(0);
    expect.soft(healthMaxMs, '/health max latency (ms)').toBeLessThan(1000);
    expect.soft(after, 'graph fingerprint').toBe(before);

    record({
      area: 'fuzz',
      case: `${outcomes.length} random operations (seed ${SEED})`,
      tried:
        `generated from the schema: Query fields with random arguments and selections, Mutation fields without a token; ` +
        `${valid} valid, ${outcomes.length - valid} broken (wrong types, unknown arguments and fields, missing arguments, bad variables, broken syntax); ` +
        `${withVariables} with variables; the last ${BATCH} at once`,
      figure: `${outcomes.length} answered in ${ms(took)}; /health max ${ms(healthMaxMs)}`,
      result:
        `${byStatus}; ` +
        (failures.length === 0
          ? 'no 5xx, every error code matching its status'
          : `${failures.length} wrong answers`) +
        `; graph ${after === before ? 'unchanged' : 'CHANGED'}`,
    });
  });
});
