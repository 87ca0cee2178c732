/**
 * Token checks the server makes itself, before @neo4j/graphql sees the request (which then
 * applies the schema's @authentication/@authorization rules to mutations).
 */
import { jwtVerify } from 'jose';
import { apiError, ErrorCode } from '../errors/index.js';

const unauthenticated = (message: string) => apiError(ErrorCode.UNAUTHENTICATED, message);

/**
 * The request's token, checked: undefined when none is sent (and none is required), else the
 * header in the form @neo4j/graphql reads ("Bearer <jwt>") and the token's roles. A header that is sent must be a
 * valid HS256 token whose `roles`, if present, is a list of strings — anything else is
 * UNAUTHENTICATED (401), for reads too: a client with a broken token should hear it.
 */
export async function checkedToken(
  header: string | undefined,
  secret: string | undefined,
  requireForReads: boolean,
): Promise<{ header: string; roles: string[] } | undefined> {
  if (header === undefined || header === '') {
    if (requireForReads) {
      throw unauthenticated('This API needs a token: send "Authorization: Bearer <jwt>".');
    }
    return undefined;
  }
  const match = /^bearer +([\w-]+\.[\w-]*\.[\w-]*)$/i.exec(header.trim());
  if (!match?.[1]) {
    throw unauthenticated('The Authorization header must be "Bearer <jwt>".');
  }
  const token = match[1];
  if (!secret) throw unauthenticated('This server accepts no tokens (no AUTH_JWT_SECRET).');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
    }));
  } catch {
    throw unauthenticated('The token is invalid or has expired.');
  }
  const roles = payload.roles;
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((r) => typeof r === 'string'))) {
    throw unauthenticated(
      'The token\'s "roles" claim must be a list of strings, such as ["editor"].',
    );
  }
  return { header: `Bearer ${token}`, roles: roles ?? [] };
}
