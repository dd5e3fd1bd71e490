import { createHash } from 'node:crypto';
import { slugify } from 'transliteration';
import { renderArticles } from './articles';
import { renderBylaws } from './bylaws';
import { missingForDocuments } from './input';
import { renderOperatingAgreement } from './operating-agreement';
import type { FormationDocumentInput, FormationDocumentKind, MissingItem, RenderedDocument } from './types';

/** Thrown when the input lacks what the documents need; `missing` is `missingForDocuments`' list. */
export class FormationDocumentsIncomplete extends Error {
  constructor(readonly missing: MissingItem[]) {
    super(`The formation details lack what the documents need: ${missing.map((m) => m.field).join(', ')}`);
    this.name = 'FormationDocumentsIncomplete';
  }
}

const RENDERERS: Record<'llc' | 'corporation', [FormationDocumentKind, (input: FormationDocumentInput) => Promise<Uint8Array>][]> = {
  llc: [
    ['articles_of_organization', renderArticles],
    ['operating_agreement', renderOperatingAgreement],
  ],
  corporation: [
    ['articles_of_incorporation', renderArticles],
    ['bylaws', renderBylaws],
  ],
};

/**
 * The drafts for the entity type: articles and operating agreement (LLC), articles and bylaws (corporation). Pure and
 * deterministic: the same input, `preparedAt` included, gives the same bytes and hashes.
 */
export async function renderFormationDocuments(input: FormationDocumentInput): Promise<RenderedDocument[]> {
  const missing = missingForDocuments(input);
  if (missing.length > 0) throw new FormationDocumentsIncomplete(missing);
  const name = slugify(input.legalName, { lowercase: true }).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'business';
  return Promise.all(
    RENDERERS[input.entityType].map(async ([kind, render]): Promise<RenderedDocument> => {
      const bytes = await render(input);
      return {
        kind,
        filename: `${name}-${kind.replace(/_/g, '-')}.pdf`,
        contentType: 'application/pdf',
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    }),
  );
}
