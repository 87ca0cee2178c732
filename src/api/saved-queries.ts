/**
 * The saved questions in queries/: one named operation per `.graphql` file, with its variables
 * beside it in `<name>.variables.json`. They are the playground's tabs, the dashboards'
 * persisted queries and the input of the typed-client codegen.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import { projectRoot } from '../config/index.js';

export const queriesDir = path.join(projectRoot, 'queries');

/** The question the playground opens on: "which partners work with us in Ethiopia under a ministry grant?". */
export const HEADLINE_QUESTION = 'partners-in-ethiopia-under-ministry-grant';

export interface SavedQuery {
  /** File name without extension, e.g. `programme-leads`. */
  name: string;
  /** The operation's own name, e.g. `ProgrammeLeads`. */
  operationName: string;
  document: string;
  variables: Record<string, unknown> | undefined;
}

export function loadSavedQueries(dir = queriesDir): SavedQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.graphql$/, '');
      const document = readFileSync(path.join(dir, file), 'utf8');
      const operations = parse(document).definitions.filter(
        (d) => d.kind === Kind.OPERATION_DEFINITION,
      );
      const operationName = operations[0]?.name?.value;
      if (operations.length !== 1 || !operationName) {
        throw new Error(`${path.join('queries', file)}: expected exactly one named operation`);
      }
      const variablesFile = path.join(dir, `${name}.variables.json`);
      const variables = existsSync(variablesFile)
        ? (JSON.parse(readFileSync(variablesFile, 'utf8')) as Record<string, unknown>)
        : undefined;
      return { name, operationName, document, variables };
    });
}
