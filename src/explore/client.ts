/**
 * The explorer's one way to the API: a saved question (queries/, typed by codegen) asked by its
 * trusted document id — `GET /graphql?id=…&variables=…`, as a dashboard asks — so that a schema
 * change that breaks a view fails `npm run typecheck`, the answers are cached and carry ETags,
 * and the explorer works where the server runs trusted documents only.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind } from 'graphql';
import { documentIds } from '../generated/document-ids.js';

type OperationName = keyof typeof documentIds;

/** The operation name of a saved question's document (what its id is looked up by). */
function operationName(document: TypedDocumentNode<unknown, never>): OperationName {
  const [definition] = document.definitions;
  const name = definition?.kind === Kind.OPERATION_DEFINITION ? definition.name?.value : undefined;
  if (!name || !(name in documentIds)) {
    throw new Error(`${name ?? 'an unnamed operation'} is not a saved question`);
  }
  return name as OperationName;
}

/** Runs a saved question; an answer with errors throws their messages. */
export async function ask<R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V>,
  variables: V,
): Promise<R> {
  const params = new URLSearchParams({
    id: documentIds[operationName(document)],
    variables: JSON.stringify(variables),
  });
  const res = await fetch(`/graphql?${params.toString()}`, {
    // A GET that Apollo's CSRF prevention lets through: no browser sends this header by itself.
    headers: { 'apollo-require-preflight': 'true', accept: 'application/graphql-response+json' },
  });
  const body = (await res.json()) as { data?: R | null; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new Error(`HTTP ${res.status} without data`);
  return body.data;
}
