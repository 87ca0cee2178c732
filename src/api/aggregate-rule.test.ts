import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { aggregateSelectionRule } from './aggregate-rule.js';

const schema = buildSchema(`
  type Count { nodes: Int! }
  type StringAggregateSelection { longest: String shortest: String }
  type PlaceAggregateNode { name: StringAggregateSelection! }
  type PlaceAggregate { count: Count! node: PlaceAggregateNode! }
  type PlacesConnection { aggregate: PlaceAggregate! totalCount: Int! }
  type Query { placesConnection: PlacesConnection! }
`);
const errors = (query: string) =>
  validate(schema, parse(query), [aggregateSelectionRule]).map((e) => e.message);

describe('aggregateSelectionRule', () => {
  it('passes an ordinary aggregation, aliases outside aggregates, and fragments', () => {
    expect(
      errors(
        '{ a: placesConnection { totalCount aggregate { count { nodes } node { ...N } } } b: placesConnection { totalCount } } fragment N on PlaceAggregateNode { name { longest } }',
      ),
    ).toEqual([]);
  });
  it('refuses an aggregate that asks for nothing but __typename', () => {
    expect(
      errors('{ placesConnection { aggregate { node { __typename } count { nodes } } } }'),
    ).toEqual([
      expect.stringMatching(/PlaceAggregateNode\) needs at least one field besides __typename/),
    ]);
  });
  it('refuses one aggregate field under two names, at any level', () => {
    expect(
      errors(
        '{ placesConnection { aggregate { count { nodes } } x: aggregate { count { nodes } } } }',
      ),
    ).toEqual([expect.stringMatching(/PlacesConnection.aggregate is asked 2 times/)]);
    expect(
      errors(
        '{ placesConnection { aggregate { node { name { longest } } y: node { name { shortest } } } } }',
      ),
    ).toEqual([expect.stringMatching(/PlaceAggregate.node is asked 2 times/)]);
  });
  it('refuses a connection total under two names (a 500 inside the library; found by the fuzz)', () => {
    expect(errors('{ placesConnection { totalCount a1: totalCount } }')).toEqual([
      expect.stringMatching(/PlacesConnection.totalCount is asked 2 times/),
    ]);
  });
});
