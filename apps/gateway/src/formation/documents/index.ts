/**
 * The formation documents: the articles (organization or incorporation) and the operating agreement or bylaws, as
 * PDF drafts for review. Import only from this file.
 *
 * - `missingForDocuments(partial)` lists what the drafts need and the input lacks; an empty list means
 *   `renderFormationDocuments` can run. Field paths are the formation details' API names (`registered_agent.address.state`,
 *   `business_address`, `members`, `county`…), so the intake can show them beside its fields.
 * - `renderFormationDocuments(input)` is pure: the same input (with the same `preparedAt`) gives the same bytes. It
 *   throws `FormationDocumentsIncomplete` (with `.missing`) when `missingForDocuments` would list anything.
 * - `inputsHash(input)` says whether the inputs changed since the last version (key order and `preparedAt` ignored):
 *   store it beside the documents and render a new version when it differs.
 * - Addresses are passed as the formation details store them (`line1`, `city`, `state`, `postal_code`); members'
 *   `ownership_percent` becomes `ownershipPercent`. A corporation's directors are the members whose role names
 *   "director"; an LLC's managers, those whose role names "manager". `county` and `authorizedShares` are new inputs
 *   (the county where the state's form asks it, e.g. New York; shares default to `DEFAULT_AUTHORIZED_SHARES`).
 */
export type {
  Address,
  AuthorizedShares,
  FormationDocumentDraft,
  FormationDocumentInput,
  FormationDocumentKind,
  FormationMember,
  MissingItem,
  RenderedDocument,
  UsState,
} from './types';
export { DEFAULT_AUTHORIZED_SHARES, STATE_FORM_RULES, formRulesFor, type AskedItem, type FormRules, type StateFormRules } from './state-rules';
export { inputsHash, missingForDocuments } from './input';
export { FormationDocumentsIncomplete, renderFormationDocuments } from './render';
