/** Why the local Neo4j could not be built, started or stopped. */
export type LocalNeo4jErrorCode =
  | 'JAVA_MISSING'
  | 'MAVEN_MISSING'
  | 'BUILD_FAILED'
  | 'START_FAILED'
  | 'START_TIMEOUT'
  | 'AUTH_FAILED'
  | 'STOP_TIMEOUT';

export class LocalNeo4jError extends Error {
  constructor(
    readonly code: LocalNeo4jErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LocalNeo4jError';
  }
}
