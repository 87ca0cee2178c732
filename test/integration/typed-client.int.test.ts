/**
 * The typed client of examples/ with the generated documents of src/generated/ against the real
 * API: the saved operations still match the schema, and the results have the generated types.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { runQuery } from '../../examples/dashboard-client.js';
import {
  PartnersInEthiopiaUnderMinistryGrantDocument,
  ProgrammeLeadsDocument,
  type PartnersInEthiopiaUnderMinistryGrantQuery,
  type ProgrammeLeadsQuery,
} from '../../src/generated/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('typed dashboard client', () => {
  let server: TestServer;
  let endpoint: string;
  beforeAll(async () => {
    server = await startTestServer();
    endpoint = `${server.url}/graphql`;
  });
  afterAll(() => server?.close());

  it('runs PartnersInEthiopiaUnderMinistryGrant with typed variables and result', async () => {
    const result = await runQuery(endpoint, PartnersInEthiopiaUnderMinistryGrantDocument, {
      country: 'ET',
      funderKind: 'MINISTRY',
    });
    expectTypeOf(result).toEqualTypeOf<PartnersInEthiopiaUnderMinistryGrantQuery>();
    const partners = result.partners ?? [];
    expect(partners.map((p) => p.organisation.name)).toEqual([
      'Plan International Nederland',
      'Terre des Hommes',
      'lokale samenwerkingspartners (Girls Advocacy Alliance)',
    ]);
    for (const partner of partners) {
      expect(partner.programme.name).toBe('Girls Advocacy Alliance');
    }
  });

  it('runs a saved operation by its trusted id (GET), with the same typed answer', async () => {
    const variables = { country: 'ET', funderKind: 'MINISTRY' } as const;
    const byId = await runQuery(endpoint, PartnersInEthiopiaUnderMinistryGrantDocument, variables, {
      byId: true,
    });
    expectTypeOf(byId).toEqualTypeOf<PartnersInEthiopiaUnderMinistryGrantQuery>();
    expect(byId).toEqual(
      await runQuery(endpoint, PartnersInEthiopiaUnderMinistryGrantDocument, variables),
    );
    expect(byId.partners?.length).toBe(3);
  });

  it('runs ProgrammeLeads', async () => {
    const result = await runQuery(endpoint, ProgrammeLeadsDocument, {});
    expectTypeOf(result).toEqualTypeOf<ProgrammeLeadsQuery>();
    expect(result.programmes.map((p) => p.name)).toEqual([
      'Down to Zero',
      'FOCUS on my needs – Working together for children in criminal proceedings',
      'Girls Advocacy Alliance',
    ]);
  });

  it("rejects with the error's code when the server refuses the variables", async () => {
    await expect(
      runQuery(endpoint, PartnersInEthiopiaUnderMinistryGrantDocument, {
        country: 'Atlantis',
        funderKind: 'MINISTRY',
      }),
    ).rejects.toThrow('BAD_USER_INPUT');
  });
});
