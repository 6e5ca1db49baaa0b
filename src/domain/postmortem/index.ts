/**
 * Postmortems: the model, templates, the draft composed from evidence, the review workflow and the quality rubric.
 */
export * from './types.js';
export {
  BUILT_IN_TEMPLATE_ID,
  DEFAULT_TEMPLATE,
  ACTION_ITEMS_TABLE_HEADER,
  selectTemplate,
  checkTemplateSections,
  renderSkeleton,
  promptComment,
} from './templates.js';
export {
  composeDraft,
  replaceEvidenceBlock,
  evidenceBlock,
  formatUtc,
  personName,
  EVIDENCE_BLOCK_START,
  EVIDENCE_BLOCK_END,
  type DraftInput,
  type DraftSuspect,
  type DraftChart,
} from './draft.js';
export {
  canEditBody,
  assertCanEditBody,
  assertCanRequestReview,
  assertCanReview,
  assertCanReopen,
  approvalState,
  statusAfterReview,
  statusAfterEdit,
  publishBlockers,
  assertPublishable,
  type ApprovalInput,
  type PublishGateInput,
} from './workflow.js';
export { scoreQuality, TLDR_MAX_SENTENCES, type QualityInput } from './rubric.js';
