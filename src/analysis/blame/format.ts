/** Renderings of findings: SARIF 2.1.0 for code-scanning tools, and one line per finding for terminals and logs. */
import { RULES } from './rules.js';
import { RULE_IDS, type Finding, type Severity } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'debrief-lint';

/** The part of SARIF 2.1.0 this linter writes. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: {
      driver: {
        name: string;
        informationUri: string;
        version?: string;
        rules: {
          id: string;
          name: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help: { text: string };
          defaultConfiguration: { level: SarifLevel };
        }[];
      };
    };
    columnKind: 'utf16CodeUnits';
    results: {
      ruleId: string;
      ruleIndex: number;
      level: SarifLevel;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: {
            startLine: number;
            startColumn: number;
            endLine: number;
            endColumn: number;
            snippet: { text: string };
          };
        };
      }[];
      properties: { suggestion: string };
    }[];
  }[];
}

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

/** One file's findings, for {@link toSarif} over several files. */
export interface FileFindings {
  uri: string;
  findings: readonly Finding[];
}

/**
 * A SARIF 2.1.0 log of the findings of one file (`fileUri`, as the code-scanning tool should show it: usually the
 * path relative to the repository root), or of several files.
 *
 * @example
 * const sarif = toSarif(lintPostmortem(text), 'postmortems/2024-05-01.md');
 * sarif.runs[0].results[0].locations[0].physicalLocation.region; // { startLine: 3, startColumn: 1, … }
 */
export function toSarif(findings: readonly Finding[], fileUri: string, toolVersion?: string): SarifLog;
export function toSarif(files: readonly FileFindings[], toolVersion?: string): SarifLog;
export function toSarif(
  first: readonly Finding[] | readonly FileFindings[],
  second?: string,
  third?: string,
): SarifLog {
  const isFiles = first.length > 0 && 'uri' in (first[0] as object);
  const files: readonly FileFindings[] = isFiles
    ? (first as readonly FileFindings[])
    : [{ uri: second ?? '', findings: first as readonly Finding[] }];
  const version = isFiles ? second : third;
  const ruleIndex = new Map(RULE_IDS.map((id, index) => [id, index]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            informationUri: 'https://github.com/debrief/debrief/blob/main/docs/blameless-lint.md',
            ...(version !== undefined ? { version } : {}),
            rules: RULE_IDS.map((id) => {
              const rule = RULES[id];
              return {
                id,
                name: id.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()),
                shortDescription: { text: rule.title },
                fullDescription: { text: rule.help },
                help: { text: `${rule.help}\n\nSuggestion: ${rule.suggestion}` },
                defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
              };
            }),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: files.flatMap(({ uri, findings }) =>
          findings.map((finding) => ({
            ruleId: finding.ruleId,
            ruleIndex: ruleIndex.get(finding.ruleId) ?? 0,
            level: LEVEL[finding.severity],
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri },
                  region: {
                    startLine: finding.line,
                    startColumn: finding.column,
                    endLine: finding.endLine,
                    endColumn: finding.endColumn,
                    snippet: { text: finding.text },
                  },
                },
              },
            ],
            properties: { suggestion: finding.suggestion },
          })),
        ),
      },
    ],
  };
}

/**
 * One line per finding: `file:line:col severity ruleId message (suggestion)`.
 *
 * @example
 * formatText(lintPostmortem('Bob forgot to renew it.'), 'pm.md');
 * // 'pm.md:1:1 error person-as-cause "Bob forgot" makes a person the cause (Make the change or …)\n'
 */
export function formatText(findings: readonly Finding[], file: string): string {
  return findings
    .map(
      (finding) =>
        `${file}:${finding.line}:${finding.column} ${finding.severity} ${finding.ruleId} ${finding.message} (${finding.suggestion})\n`,
    )
    .join('');
}
