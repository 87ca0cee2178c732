import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, print, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../config/index.js';
import { documentIds } from '../generated/document-ids.js';
import * as operations from '../generated/operations.js';
import { loadSavedQueries } from './saved-queries.js';
import { documentId, persistedQueryManifest, trustedDocuments } from './trusted-documents.js';

const manifest = JSON.parse(
  readFileSync(path.join(projectRoot, 'src/generated/persisted-documents.json'), 'utf8'),
) as ReturnType<typeof persistedQueryManifest>;

describe('trusted documents', () => {
  it('are the saved questions, as the server computes them and as codegen wrote them', () => {
    const server = trustedDocuments(loadSavedQueries());
    expect(server.length).toBeGreaterThan(10);
    expect(persistedQueryManifest(server)).toEqual(manifest);
    expect(Object.fromEntries(server.map((d) => [d.name, d.id]))).toEqual(documentIds);
    expect(new Set(server.map((d) => d.id)).size).toBe(server.length);
  });

  it("have the id of the typed client's printed document, which Apollo's hash is", () => {
    const documents = Object.entries(operations).filter(([name]) => name.endsWith('Document'));
    expect(documents).toHaveLength(manifest.operations.length);
    for (const [name, document] of documents) {
      const id = documentIds[name.replace(/Document$/, '') as keyof typeof documentIds];
      expect(documentId(document as DocumentNode), name).toBe(id);
      // The id is the plain SHA-256 of the text a client sends (Apollo's sha256Hash).
      const sent = print(document);
      expect(createHash('sha256').update(sent).digest('hex')).toBe(id);
    }
  });

  it('are the same document however they are spelt, and another document is another id', () => {
    const [first] = loadSavedQueries();
    if (!first) throw new Error('no saved question');
    const respelt = `# a comment\n\n${first.document.replace(/\n/g, '\n\n   ')}`;
    expect(documentId(parse(respelt))).toBe(documentId(parse(first.document)));
    const changed = first.document.replace(/\{/, '{ __typename ');
    expect(documentId(parse(changed))).not.toBe(documentId(parse(first.document)));
  });
});
