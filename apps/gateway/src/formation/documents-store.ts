import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { GatewayDb, GatewayTx } from '../db/client';
import { formationDocuments } from '../db/schema';
import { inputsHash, renderFormationDocuments, type FormationDocumentInput } from './documents';

/**
 * The case's documents as stored: a set per version of the inputs, rendered by `documents/` and kept with the
 * hashes of their bytes and of their inputs. Rendering again from the same inputs stores nothing; from changed
 * inputs it stores a new set and supersedes the one before. Nothing is ever deleted.
 */

export type DocumentRow = typeof formationDocuments.$inferSelect;
/** A document without its bytes: what lists show. */
export type DocumentInfo = Omit<DocumentRow, 'bytes'> & { sizeBytes: number };

const INFO = {
  id: formationDocuments.id,
  caseId: formationDocuments.caseId,
  kind: formationDocuments.kind,
  version: formationDocuments.version,
  filename: formationDocuments.filename,
  sha256: formationDocuments.sha256,
  inputsSha256: formationDocuments.inputsSha256,
  createdAt: formationDocuments.createdAt,
  supersededAt: formationDocuments.supersededAt,
};

/** Every version of the case's documents, newest first (the current set has no `superseded_at`). */
export async function documentsOf(db: GatewayDb | GatewayTx, caseId: string): Promise<DocumentInfo[]> {
  return db
    .select({ ...INFO, sizeBytes: sql<number>`octet_length(${formationDocuments.bytes})`.mapWith(Number) })
    .from(formationDocuments)
    .where(eq(formationDocuments.caseId, caseId))
    .orderBy(desc(formationDocuments.version), formationDocuments.kind);
}

/** One document with its bytes, if it is the case's. */
export async function documentOf(db: GatewayDb | GatewayTx, caseId: string, documentId: string): Promise<DocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(formationDocuments)
    .where(and(eq(formationDocuments.caseId, caseId), eq(formationDocuments.id, documentId)));
  return row;
}

/**
 * Renders the documents from `input` and stores them as the case's new current set, unless the current set was
 * made from the same inputs. Answers whether a new set was stored.
 */
export async function storeDocuments(tx: GatewayTx, caseId: string, input: FormationDocumentInput): Promise<{ stored: boolean; version: number }> {
  const hash = inputsHash(input);
  const current = await tx
    .select({ version: formationDocuments.version, inputsSha256: formationDocuments.inputsSha256 })
    .from(formationDocuments)
    .where(and(eq(formationDocuments.caseId, caseId), isNull(formationDocuments.supersededAt)));
  const currentVersion = current[0]?.version ?? 0;
  if (current.length && current.every((row) => row.inputsSha256 === hash)) return { stored: false, version: currentVersion };
  const [newest] = await tx.select({ version: formationDocuments.version }).from(formationDocuments).where(eq(formationDocuments.caseId, caseId)).orderBy(desc(formationDocuments.version)).limit(1);
  const version = (newest?.version ?? 0) + 1;
  const rendered = await renderFormationDocuments(input);
  await tx.update(formationDocuments).set({ supersededAt: new Date() }).where(and(eq(formationDocuments.caseId, caseId), isNull(formationDocuments.supersededAt)));
  await tx.insert(formationDocuments).values(
    rendered.map((document) => ({
      caseId,
      kind: document.kind,
      version,
      filename: document.filename,
      sha256: document.sha256,
      bytes: Buffer.from(document.bytes),
      inputsSha256: hash,
    })),
  );
  return { stored: true, version };
}
