/**
 * Nested lists paged by @neo4j/graphql with this project's patch (patches/; the Cypher is in
 * src/api/nested-list-order.test.ts): a page of an organisation's programmes, with each
 * programme's countries, is the same slice of the whole sorted list as without it — for every
 * offset and limit, both directions and a sort on two properties — on the seed graph, through
 * the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, startTestServer, type TestServer } from '../support/server.js';

interface Programme {
  name: string;
  key: string;
  countries: { code: string }[];
}
interface Participant {
  key: string;
  participatesIn: Programme[];
}

describe('a page of a nested list is the slice of the whole list', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const participants = async (sort: string, page: string) => {
    const { status, body } = await gql<{ organisations: Participant[] }>(
      server,
      `{ organisations(sort: [{ key: ASC }]) {
           key
           participatesIn(sort: ${sort}${page}) { name key countries(sort: [{ code: ASC }]) { code } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data?.organisations ?? [];
  };

  for (const sort of [
    '[{ name: ASC }, { key: ASC }]',
    '[{ name: DESC }, { key: DESC }]',
    '[{ key: ASC }]',
  ]) {
    it(`sorted by ${sort}`, async () => {
      const whole = await participants(sort, '');
      const many = whole.filter((f) => f.participatesIn.length >= 3);
      // The seed page's home organisation takes part in many programmes, some in several countries.
      expect(many.length).toBeGreaterThan(0);
      expect(many.some((f) => f.participatesIn.some((p) => p.countries.length > 1))).toBe(true);
      for (const [offset, limit] of [
        [0, 1],
        [0, 2],
        [1, 2],
        [2, 5],
        [5, 3],
      ] as const) {
        const paged = await participants(sort, `, offset: ${offset}, limit: ${limit}`);
        expect(paged.map((f) => f.key)).toEqual(whole.map((f) => f.key));
        for (const [i, participant] of whole.entries()) {
          expect({ key: participant.key, offset, limit, page: paged[i]?.participatesIn }).toEqual({
            key: participant.key,
            offset,
            limit,
            page: participant.participatesIn.slice(offset, offset + limit),
          });
        }
      }
    });
  }
});
