/**
 * The reviewed corrections to organisation resolution (in a folder of its own, so that the page
 * importer, which reads seeds/*.yaml, never takes them for an extraction), each a list of pairs
 * of organisations named by IATI ref or name:
 *   - `seeds/resolution/keep-apart.yaml`: pairs the resolver must never join — adding one and
 *     importing the file again undoes a join that `npm run iati:merges` showed to be wrong;
 *   - `seeds/resolution/same-as.yaml`: pairs that are one organisation although the evidence
 *     does not show it — a mention of the first is resolved as the second.
 *
 *   - [RVO, Rijksdienst voor Ondernemend Nederland]
 *   - [DFID, GB-GOV-1]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../../config/index.js';
import { ImportValidationError, pathToString } from '../../errors/expected.js';

export const KEEP_APART_FILE = path.join(projectRoot, 'seeds/resolution/keep-apart.yaml');
export const SAME_AS_FILE = path.join(projectRoot, 'seeds/resolution/same-as.yaml');

const name = z.string().trim().min(1, 'an IATI ref or a name');
const schema = z.array(
  z.tuple([name, name]).refine(([a, b]) => a !== b, 'two different organisations'),
);

export type KeepApart = readonly (readonly [string, string])[];
/** Pairs [a mention's ref or name, the ref or name of the organisation it is]. */
export type SameAs = readonly (readonly [string, string])[];

export const loadKeepApart = (file = KEEP_APART_FILE): KeepApart => loadPairs(file);
export const loadSameAs = (file = SAME_AS_FILE): SameAs => loadPairs(file);

/** The pairs in `file` (none when it does not exist); bad content is an ImportValidationError. */
function loadPairs(file: string): readonly (readonly [string, string])[] {
  if (!existsSync(file)) return [];
  const display = path.relative(process.cwd(), file) || file;
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), {
    lineCounter: lines,
    prettyErrors: false,
  });
  if (doc.errors.length > 0) {
    throw new ImportValidationError(
      doc.errors.map((e) => ({
        file: display,
        ...lines.linePos(e.pos[0]),
        what: 'YAML syntax error',
        why: e.message.split('\n')[0] ?? e.code,
      })),
    );
  }
  const parsed = schema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? []);
  if (!parsed.success) {
    throw new ImportValidationError(
      parsed.error.issues.map((i) => {
        const node = doc.getIn(i.path as (string | number)[], true) as
          { range?: [number] } | undefined;
        const at = node?.range ? lines.linePos(node.range[0]) : undefined;
        return {
          file: display,
          ...(at ? { line: at.line, column: at.col } : {}),
          path: pathToString(i.path),
          what: 'invalid pair',
          why: `${i.message}: each entry is [ref or name, ref or name]`,
        };
      }),
    );
  }
  return parsed.data;
}
