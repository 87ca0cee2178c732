import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, visit, type ConstArgumentNode } from 'graphql';
import { projectRoot } from '../config/index.js';

export const schemaDir = path.join(projectRoot, 'schema');

/** The schema-first type definitions: every `.graphql` file in schema/, in name order. */
export function loadTypeDefs(): string {
  return readdirSync(schemaDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(schemaDir, f), 'utf8'))
    .join('\n');
}

const intArgument = (name: string, value: number): ConstArgumentNode => ({
  kind: Kind.ARGUMENT,
  name: { kind: Kind.NAME, value: name },
  value: { kind: Kind.INT, value: String(value) },
});

/**
 * The type definitions with every `@limit` bound by the configured page size: `max` is the
 * page size limit and `default` at most that, so that lists the caller does not page (nested
 * relationship fields too) never return more.
 */
export function withPageSizeLimit(typeDefs: string, maxPageSize: number): string {
  const document = visit(parse(typeDefs), {
    Directive(node) {
      if (node.name.value !== 'limit') return undefined;
      const given = node.arguments?.find((a) => a.name.value === 'default');
      const fallback =
        given?.value.kind === Kind.INT
          ? Math.min(Number(given.value.value), maxPageSize)
          : maxPageSize;
      return {
        ...node,
        arguments: [intArgument('default', fallback), intArgument('max', maxPageSize)],
      };
    },
  });
  return print(document);
}
