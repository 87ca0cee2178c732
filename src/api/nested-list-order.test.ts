/**
 * patches/@neo4j+graphql+*.patch: a nested list sorted by its own properties keeps its first
 * `offset + limit` rows before the subqueries of its nested fields run — as @neo4j/graphql does
 * for top-level lists — instead of building every row's nested fields and cutting after.
 * Checked on the translation, without a database; the answers stay the same
 * (test/integration/nested-list-order.int.test.ts).
 */
import type { Driver } from 'neo4j-driver';
import { beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../test/support/cypher-capture.js';
import { parseConfig } from '../config/index.js';
import { buildSchema, type BuiltSchema } from './schema.js';

describe('nested lists sorted by a property are cut before their subqueries', () => {
  const { maxPageSize } = parseConfig({ NODE_ENV: 'test' }).limits;
  let built: BuiltSchema;
  beforeAll(async () => {
    built = await buildSchema({} as Driver, { maxPageSize });
  });

  /** The one statement of `document`, and its parameters. */
  async function statementOf(document: string) {
    const [statement, ...more] = await translate(built.schema, document, undefined, {
      homeKey: 'h',
      maxPageSize,
    });
    expect(more).toEqual([]);
    if (!statement) throw new Error('no statement');
    return statement;
  }

  /** The clauses between a nested list's `WITH DISTINCT` and its first nested `CALL`. */
  const beforeSubqueries = (cypher: string, variable: string) => {
    const start = cypher.indexOf(`WITH DISTINCT ${variable}\n`);
    expect(start).toBeGreaterThan(-1);
    const end = cypher.indexOf(`CALL (${variable})`, start);
    expect(end).toBeGreaterThan(start);
    return cypher.slice(start, end);
  };

  it('orders and cuts at offset + limit, then the projection pages as before', async () => {
    const { cypher, params } = await statementOf(
      `{ organisations(limit: 1) { finances(sort: [{ name: DESC }, { key: ASC }], offset: 2, limit: 3) {
           name countries(sort: [{ code: ASC }]) { code } } } }`,
    );
    const variable = /MATCH \(this\)-\[\w+:FUNDS\]->\((\w+):Programme\)/.exec(cypher)?.[1];
    if (!variable) throw new Error(cypher);
    const cut = beforeSubqueries(cypher, variable);
    expect(cut).toMatch(
      new RegExp(
        `ORDER BY ${variable}\\.name DESC, ${variable}\\.key ASC\\s+LIMIT \\(?\\$(\\w+) \\+ \\$(\\w+)\\)?`,
      ),
    );
    const [, skip, limit] =
      /LIMIT \(?\$(\w+) \+ \$(\w+)\)?/.exec(cut) ?? ([] as (string | undefined)[]);
    expect(Number(params[skip ?? ''])).toBe(2);
    expect(Number(params[limit ?? ''])).toBe(3);
    // The page itself is still taken from the projected rows.
    const after = cypher.slice(cypher.indexOf(`CALL (${variable})`));
    expect(after).toMatch(
      new RegExp(`ORDER BY ${variable}\\.name DESC, ${variable}\\.key ASC\\s+SKIP`),
    );
  });

  it('leaves a list without nested fields, and an unsorted one, as the library writes it', async () => {
    const leaf = await statementOf(
      '{ organisations(limit: 1) { finances(sort: [{ name: ASC }], limit: 3) { name } } }',
    );
    expect(leaf.cypher).not.toMatch(/WITH \*\s+ORDER BY \w+\.name ASC\s+LIMIT/);
    const unsorted = await statementOf(
      '{ organisations(limit: 1) { finances(limit: 3) { name countries { code } } } }',
    );
    expect(unsorted.cypher).not.toMatch(/WITH DISTINCT \w+\s+WITH \*\s+ORDER BY/);
  });
});
