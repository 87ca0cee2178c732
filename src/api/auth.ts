/** Token checks the server makes itself (mutations are checked by @neo4j/graphql's rules). */
import { jwtVerify } from 'jose';
import { apiError, ErrorCode } from '../errors/index.js';

/** With AUTH_REQUIRE_FOR_READS, every request needs a valid HS256 token, whatever its roles. */
export async function requireReadToken(
  header: string | undefined,
  secret: string | undefined,
): Promise<void> {
  const token = header?.replace(/^Bearer\s+/i, '');
  if (!token || !secret) {
    throw apiError(
      ErrorCode.UNAUTHENTICATED,
      'This API needs a token: send "Authorization: Bearer <jwt>".',
    );
  }
  try {
    await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
  } catch {
    throw apiError(ErrorCode.UNAUTHENTICATED, 'The token is invalid or has expired.');
  }
}
