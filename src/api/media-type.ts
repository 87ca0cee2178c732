/**
 * The media type an answer goes out as, chosen from the request's Accept header by the
 * negotiation Apollo Server uses: application/json unless the client prefers
 * application/graphql-response+json (an absent header means application/json).
 */
import Negotiator from 'negotiator';

export const APPLICATION_JSON = 'application/json';
export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/** Whether an answer to a request with this Accept header is application/graphql-response+json. */
export function wantsGraphqlResponseJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const chosen = new Negotiator({ headers: { accept } }).mediaType([
    APPLICATION_JSON,
    GRAPHQL_RESPONSE_JSON,
  ]);
  return chosen === GRAPHQL_RESPONSE_JSON;
}
