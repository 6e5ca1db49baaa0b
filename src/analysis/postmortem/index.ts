/**
 * The structure of a postmortem document: its sections (with the other names real postmortems give them), its
 * prompts, and the facts read from it — contributing factors, action items, sentence counts, quantified impact.
 */
export { sectionId, plainHeadingText } from './slug.js';
export { scanDocument, type DocLine, type DocLineKind, type Range, type ScannedDocument } from './scan.js';
export {
  parseSections,
  findSection,
  removeSections,
  replaceSectionContent,
  stripPrompts,
  type ParsedSection,
} from './sections.js';
export { SECTION_ALIASES, CANONICAL_SECTION_TITLES, canonicalSectionId, canonicalTitle } from './aliases.js';
export { countSentences } from './sentences.js';
export {
  parseContributingFactors,
  factorCategoryOf,
  FACTOR_CATEGORY_LABELS,
  UNCONFIRMED_FACTOR_MARK,
} from './factors.js';
export { parseActionItems, normalizeDueDate, isPlaceholderValue } from './action-items.js';
export { isImpactQuantified } from './impact.js';
