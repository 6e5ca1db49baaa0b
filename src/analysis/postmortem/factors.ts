/**
 * Contributing factors, read from the Contributing factors section (or an alias such as "Root causes"): a list of
 * factors, each filed under a category of the taxonomy, never one root cause.
 */
import { FACTOR_CATEGORIES, type ContributingFactor, type FactorCategory } from '../../domain/postmortem/types.js';
import { sectionBlocks } from './blocks.js';
import { findSectionLines } from './sections.js';
import { plainHeadingText } from './slug.js';

/** How each category is shown and written in a postmortem. */
export const FACTOR_CATEGORY_LABELS: Readonly<Record<FactorCategory, string>> = {
  change: 'Change',
  config: 'Config',
  capacity: 'Capacity',
  dependency: 'Dependency',
  detection_gap: 'Detection gap',
  process: 'Process',
  hardware: 'Hardware',
  time: 'Time',
  security: 'Security',
  data: 'Data',
};

/** Words people file factors under, besides the category's id and label. */
const CATEGORY_SYNONYMS: Readonly<Record<FactorCategory, readonly string[]>> = {
  change: [
    'changes',
    'deploy',
    'deploys',
    'deployment',
    'deployments',
    'release',
    'releases',
    'rollout',
    'code change',
    'software change',
    'upgrade',
    'migration',
  ],
  config: [
    'configuration',
    'configurations',
    'config change',
    'configuration change',
    'misconfiguration',
    'settings',
    'feature flag',
    'flag',
  ],
  capacity: [
    'load',
    'traffic',
    'quota',
    'quotas',
    'limits',
    'scaling',
    'saturation',
    'resources',
    'resource exhaustion',
    'capacity planning',
  ],
  dependency: [
    'dependencies',
    'vendor',
    'third party',
    'upstream',
    'provider',
    'cloud provider',
    'supplier',
    'external dependency',
    'external service',
  ],
  detection_gap: [
    'detection',
    'monitoring',
    'alerting',
    'alerts',
    'observability',
    'monitoring gap',
    'alerting gap',
    'visibility',
  ],
  process: ['procedure', 'procedures', 'runbook', 'documentation', 'communication', 'coordination', 'training'],
  hardware: ['hardware failure', 'disk', 'host failure', 'machine', 'network hardware'],
  time: [
    'timing',
    'clock',
    'clock skew',
    'expiry',
    'expiration',
    'certificate expiry',
    'leap second',
    'timezone',
    'dst',
  ],
  security: ['attack', 'vulnerability', 'compromise', 'abuse', 'phishing', 'malware', 'breach'],
  data: ['data corruption', 'corruption', 'bad data', 'data quality', 'schema', 'input'],
};

function normalizeLabel(label: string): string {
  return plainHeadingText(label)
    .toLowerCase()
    .replace(/[-_/]+/g, ' ')
    .replace(/[^\p{L}\p{N} ]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const CATEGORY_INDEX: ReadonlyMap<string, FactorCategory> = new Map(
  FACTOR_CATEGORIES.flatMap((category) =>
    [category, FACTOR_CATEGORY_LABELS[category], ...CATEGORY_SYNONYMS[category]].map(
      (name) => [normalizeLabel(name), category] as const,
    ),
  ),
);

/**
 * The category a label names, by id, display label or synonym, or null.
 *
 * @example
 * factorCategoryOf('Detection gap'); // 'detection_gap'
 * factorCategoryOf('third-party'); // 'dependency'
 * factorCategoryOf('Bad luck'); // null
 */
export function factorCategoryOf(label: string): FactorCategory | null {
  return CATEGORY_INDEX.get(normalizeLabel(label)) ?? null;
}

/**
 * The end of a factor the draft proposes from a suspect change. A person confirms the factor by deleting this
 * phrase; until then it is a candidate and not counted.
 */
export const UNCONFIRMED_FACTOR_MARK = 'confirm or delete';
const UNCONFIRMED = /;\s*confirm or delete\.?\s*$/i;

const BOLD_LABEL = /^(\*\*|__)(.+?)\1\s*(?:[:—–]|-(?=\s))?\s*(.*)$/;
const BRACKET_LABEL = /^\[([^\]]+)\]\s+(?![([])(.*)$/;
const SEPARATED_LABEL = /^([^:—–]{1,40}?)\s*(?::|\s[—–]\s|\s-\s)\s*(.+)$/;

interface Labelled {
  category: FactorCategory | null;
  description: string;
  /** The text was only a category label, with nothing after it. */
  labelOnly: boolean;
}

/** Reads `**Change:** text`, `[change] text`, `Change — text` or `Change: text`; anything else has no category. */
function readLabelled(text: string): Labelled {
  const bold = BOLD_LABEL.exec(text);
  if (bold?.[2]) {
    const category = factorCategoryOf(bold[2].replace(/:\s*$/, ''));
    if (category) return { category, description: (bold[3] ?? '').trim(), labelOnly: (bold[3] ?? '').trim() === '' };
  }
  const bracket = BRACKET_LABEL.exec(text);
  if (bracket?.[1]) {
    const category = factorCategoryOf(bracket[1]);
    if (category) return { category, description: (bracket[2] ?? '').trim(), labelOnly: false };
  }
  const separated = SEPARATED_LABEL.exec(text);
  if (separated?.[1]) {
    const category = factorCategoryOf(separated[1]);
    if (category) return { category, description: (separated[2] ?? '').trim(), labelOnly: false };
  }
  const whole = factorCategoryOf(text.replace(/:\s*$/, ''));
  if (whole) return { category: whole, description: '', labelOnly: true };
  return { category: null, description: text.trim(), labelOnly: false };
}

/** Template leftovers that are no factor: `-`, `…`, `TBD`, `{{ factor }}`, `<describe>`. */
function isPlaceholder(text: string): boolean {
  const bare = text.replace(/[*_`\s]/g, '').toLowerCase();
  return (
    bare === '' || /^[-–—.…?]+$/.test(bare) || /^(?:tbd|tba|todo|n\/a)$/.test(bare) || /^(\{\{.*\}\}|<.*>)$/.test(bare)
  );
}

const CATEGORY_COLUMN = /^(?:category|type|kind)$/i;
const FACTOR_COLUMN = /^(?:(?:contributing )?factors?|description|cause|finding|what)$/i;

/** Rows of a `| Category | Factor |` table, as `[category, description, line]`. */
function fromTable(
  header: readonly string[],
  rows: readonly { cells: string[]; line: number }[],
): [FactorCategory | null, string, number][] {
  const names = header.map((name) => normalizeLabel(name));
  const category = names.findIndex((name) => CATEGORY_COLUMN.test(name));
  const description = names.findIndex((name) => FACTOR_COLUMN.test(name));
  if (description < 0) return [];
  return rows.map((row) => [
    category < 0 ? null : factorCategoryOf(row.cells[category] ?? ''),
    (row.cells[description] ?? '').trim(),
    row.line,
  ]);
}

interface Subsection {
  labelled: Labelled;
  line: number;
  factors: ContributingFactor[];
  paragraph: string | null;
}

/**
 * The contributing factors of a postmortem, from its contributing-factors section (or an alias). Accepted forms:
 * list items `- **Change:** text`, `- [change] text`, `- Change — text`, `- Change: text`; `### Change: title`
 * subsections; items under a `### Change` subsection, which take its category; and rows of a table with a
 * Category and a Factor (or Description) column. A bold or bracketed label at the start of a paragraph counts too. Items without a recognised category have `category: null`; candidates the
 * draft proposed and nobody confirmed (ending in "confirm or delete") are left out. Text in HTML comments and
 * code is ignored.
 *
 * @example
 * parseContributingFactors('## Contributing factors\n- **Change:** v2.3 raised pool size\n- Slow paging');
 * // [{ category: 'change', description: 'v2.3 raised pool size', line: 2 },
 * //  { category: null, description: 'Slow paging', line: 3 }]
 */
export function parseContributingFactors(markdown: string): ContributingFactor[] {
  const entry = findSectionLines(markdown, 'contributing-factors');
  if (!entry) return [];
  const factors: ContributingFactor[] = [];
  let subsection: Subsection | null = null;

  const add = (
    target: ContributingFactor[],
    category: FactorCategory | null,
    description: string,
    line: number,
  ): void => {
    if (isPlaceholder(description) || UNCONFIRMED.test(description)) return;
    target.push({ category, description, line });
  };
  const closeSubsection = (): void => {
    const open = subsection;
    subsection = null;
    if (!open) return;
    const { labelled, line } = open;
    // "### Change: title" is one factor, and the lists under it are its details.
    if (labelled.category && !labelled.labelOnly) add(factors, labelled.category, labelled.description, line);
    else if (open.factors.length > 0) factors.push(...open.factors);
    else if (labelled.labelOnly && open.paragraph) add(factors, labelled.category, open.paragraph, line);
    else if (!labelled.labelOnly) add(factors, null, labelled.description, line);
  };

  for (const block of sectionBlocks(entry, markdown)) {
    const open = subsection;
    if (block.kind === 'heading') {
      closeSubsection();
      subsection = { labelled: readLabelled(block.text), line: block.line, factors: [], paragraph: null };
      continue;
    }
    if (block.kind === 'table') {
      for (const factor of fromTable(block.header, block.rows)) add(open ? open.factors : factors, ...factor);
      continue;
    }
    const labelled = readLabelled(block.text);
    if (block.kind === 'paragraph') {
      if (open) open.paragraph ??= block.text;
      else if (labelled.category && !labelled.labelOnly)
        add(factors, labelled.category, labelled.description, block.line);
      continue;
    }
    if (labelled.labelOnly) continue;
    if (!open) {
      add(factors, labelled.category, labelled.description, block.line);
      continue;
    }
    if (open.labelled.category && !open.labelled.labelOnly) continue;
    // Items under "### Detection gap" take its category unless they name their own.
    const category = labelled.category ?? open.labelled.category;
    add(open.factors, category, labelled.description, block.line);
  }
  closeSubsection();
  return factors;
}
