/**
 * A driver that records every Cypher statement (and its parameters) it runs, while running it
 * on the real database: what @neo4j/graphql translates an operation into, and what the
 * analyst repository sends, made visible for review.
 */
import { isInt, type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';

export interface CapturedStatement {
  cypher: string;
  params: Record<string, unknown>;
}

type Work<T> = (tx: ManagedTransaction) => Promise<T> | T;

function capturingTransaction(
  tx: ManagedTransaction,
  log: CapturedStatement[],
): ManagedTransaction {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'run') {
        return (cypher: string, params?: Record<string, unknown>) => {
          log.push({ cypher, params: params ?? {} });
          return target.run(cypher, params);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

function capturingSession(session: Session, log: CapturedStatement[]): Session {
  return new Proxy(session, {
    get(target, prop, receiver) {
      if (prop === 'executeRead' || prop === 'executeWrite') {
        return <T>(work: Work<T>, config?: unknown) =>
          target[prop]((tx) => work(capturingTransaction(tx, log)), config as never);
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

export function capturingDriver(driver: Driver, log: CapturedStatement[]): Driver {
  return new Proxy(driver, {
    get(target, prop, receiver) {
      if (prop === 'session') {
        return (...args: Parameters<Driver['session']>) =>
          capturingSession(target.session(...args), log);
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

/** The statements as a reviewable text: each Cypher statement, then its parameters as JSON. */
export function formatStatements(statements: readonly CapturedStatement[]): string {
  return statements
    .map(
      (s, i) =>
        `// statement ${i + 1} of ${statements.length}\n${s.cypher.trim()}\n\n// parameters\n${JSON.stringify(s.params, replacer, 2)}\n`,
    )
    .join('\n');
}

/** neo4j-driver Integers print as numbers. */
function replacer(_key: string, value: unknown): unknown {
  return isInt(value) ? value.toNumber() : value;
}
