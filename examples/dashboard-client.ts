/**
 * A minimal typed client for dashboards: copy this file, import the documents you need from
 * src/generated/operations.ts (npm run codegen), and both the variables and the result are
 * checked by TypeScript against the saved operations in queries/. With `byId`, it sends only
 * the document's trusted id (src/generated/document-ids.ts) as a GET: short, cacheable, and
 * what a server with TRUSTED_DOCUMENTS_ONLY=true asks for.
 *
 *   npx tsx examples/dashboard-client.ts [http://127.0.0.1:4000/graphql]
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, print } from 'graphql';
import { documentIds } from '../src/generated/document-ids.js';
import { PartnersInEthiopiaUnderMinistryGrantDocument } from '../src/generated/operations.js';

interface GraphQLResponseBody<TResult> {
  data?: TResult | null;
  errors?: { message: string; extensions?: { code?: unknown } }[];
}

/**
 * POSTs `document` with `variables` to `endpoint` and returns its `data`. Rejects when the
 * response carries GraphQL errors (their `extensions.code`s are in the message) or is not a
 * GraphQL response at all.
 */
export async function runQuery<TResult, TVariables>(
  endpoint: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  init?: { token?: string; byId?: boolean },
): Promise<TResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (init?.token) headers.authorization = `Bearer ${init.token}`;
  const res = init?.byId
    ? await fetch(
        `${endpoint}?${new URLSearchParams({ id: idOf(document), variables: JSON.stringify(variables) }).toString()}`,
        {
          // GET needs a header a browser form cannot send (the server's CSRF prevention).
          headers: { ...headers, 'apollo-require-preflight': 'true' },
        },
      )
    : await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: print(document), variables }),
      });

  let body: GraphQLResponseBody<TResult>;
  try {
    body = (await res.json()) as GraphQLResponseBody<TResult>;
  } catch {
    throw new Error(`${endpoint} answered HTTP ${res.status} without a GraphQL response`);
  }
  if (body.errors && body.errors.length > 0) {
    const list = body.errors.map((e) => {
      const code = typeof e.extensions?.code === 'string' ? e.extensions.code : 'NO_CODE';
      return `${code}: ${e.message}`;
    });
    throw new Error(`GraphQL request failed (HTTP ${res.status}): ${list.join('; ')}`);
  }
  if (body.data === undefined || body.data === null) {
    throw new Error(`${endpoint} answered HTTP ${res.status} without data`);
  }
  return body.data;
}

/** The trusted id of a generated document, by its operation's name. */
function idOf(document: TypedDocumentNode<unknown, never>): string {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const id = (documentIds as Record<string, string>)[operation?.name?.value ?? ''];
  if (!id) throw new Error('not a saved operation: it has no trusted id (npm run codegen)');
  return id;
}

async function main(): Promise<void> {
  const endpoint = process.argv[2] ?? 'http://127.0.0.1:4000/graphql';
  const result = await runQuery(endpoint, PartnersInEthiopiaUnderMinistryGrantDocument, {
    country: 'ET',
    funderKind: 'MINISTRY',
  });
  // Analyst fields are nullable (null with its error when one cannot answer); runQuery has
  // already thrown on any error, so here the list is there.
  for (const partner of result.partners ?? []) {
    console.log(`${partner.organisation.name} (${partner.programme.name})`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
