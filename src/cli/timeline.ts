/**
 * `debrief timeline FILE.md`: the timestamped events of an existing postmortem's Timeline / Chronology section,
 * with the markers inferred from their wording and the durations between them. Pure: no database, no server.
 */
import { readFileSync, statSync } from 'node:fs';
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { extractTimeline } from '../analysis/timeline/index.js';
import type { TimelineDurations, TimelineExtraction, TimelineMarkers } from '../analysis/timeline/index.js';
import {
  CliError,
  describeError,
  EXIT_USAGE,
  formatSeconds,
  formatTime,
  renderFields,
  renderTable,
  writeJson,
} from './output.js';
import { formatOption, type Program, type Runtime } from './runtime.js';

/** The JSON the command prints: exactly these keys, markers and durations only when known. */
interface TimelineOutput {
  events: { at: string; text: string; line: number }[];
  markers: TimelineMarkers;
  durations: TimelineDurations;
}

const MARKER_LABELS: readonly (readonly [keyof TimelineMarkers, string])[] = [
  ['impactStart', 'Impact start'],
  ['detected', 'Detected'],
  ['mitigated', 'Mitigated'],
  ['resolved', 'Resolved'],
];

const DURATION_LABELS: readonly (readonly [keyof TimelineDurations, string])[] = [
  ['timeToDetectMinutes', 'Time to detect'],
  ['timeToMitigateMinutes', 'Time to mitigate'],
  ['timeToResolveMinutes', 'Time to resolve'],
];

function referenceDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.toISOString().slice(0, 10) !== value.trim()) {
    throw new InvalidArgumentError('must be a date as YYYY-MM-DD, e.g. 2024-03-14.');
  }
  return value.trim();
}

function readMarkdown(path: string): string {
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new CliError(`${path} is a directory, not a markdown file`, EXIT_USAGE);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${path}: ${describeError(error)}`, EXIT_USAGE);
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new CliError(`${path} looks binary, not like a markdown postmortem`, EXIT_USAGE);
  }
  return bytes.toString('utf8');
}

/**
 * The extraction in the command's JSON shape: events as `{at, text, line}` (whether a day had no time stays out),
 * and nothing else besides markers and durations.
 *
 * @example
 * timelineOutput(extractTimeline(markdown)); // { events: [{ at: '2020-06-09T09:00:00.000Z', text: '…', line: 15 }], markers: {…}, durations: {…} }
 */
function timelineOutput(extraction: TimelineExtraction): TimelineOutput {
  return {
    events: extraction.events.map((event) => ({ at: event.at, text: event.text, line: event.line })),
    markers: extraction.markers,
    durations: extraction.durations,
  };
}

function renderText(output: TimelineOutput): string {
  const sections: string[] = [];
  sections.push(
    output.events.length > 0
      ? renderTable(
          [
            { header: 'AT', value: (e: TimelineOutput['events'][number]) => formatTime(e.at) },
            { header: 'LINE', value: (e) => String(e.line) },
            { header: 'TEXT', value: (e) => e.text },
          ],
          output.events,
        )
      : 'No timestamped events.\n',
  );
  const markers = MARKER_LABELS.filter(([key]) => output.markers[key] !== undefined).map(
    ([key, label]) => [label, formatTime(output.markers[key])] as const,
  );
  if (markers.length > 0) sections.push(`Markers\n${renderFields(markers, '  ')}`);
  const durations = DURATION_LABELS.filter(([key]) => output.durations[key] !== undefined).map(
    ([key, label]) => [label, formatSeconds((output.durations[key] ?? 0) * 60)] as const,
  );
  if (durations.length > 0) sections.push(`Durations (from impact start)\n${renderFields(durations, '  ')}`);
  return sections.join('\n');
}

export function registerTimelineCommand(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  program
    .command('timeline')
    .description('extract the timeline of an existing postmortem (markdown): events, markers, durations')
    .argument('<file>', 'markdown postmortem with a Timeline or Chronology section')
    .option(
      '--reference-date <date>',
      'YYYY-MM-DD: the day of time-only entries when the document gives no date',
      referenceDate,
    )
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nJSON: {"events":[{"at","text","line"}],"markers":{"impactStart","detected","mitigated","resolved"},' +
        '"durations":{"timeToDetectMinutes","timeToMitigateMinutes","timeToResolveMinutes"}}; markers and durations ' +
        'appear when known, durations count from impact start. Reads the file only: no database, no server.',
    )
    .action((file, opts) => {
      const markdown = readMarkdown(file);
      const extraction = extractTimeline(
        markdown,
        opts.referenceDate !== undefined ? { referenceDate: opts.referenceDate } : {},
      );
      const output = timelineOutput(extraction);
      if (!extraction.hasTimelineSection) {
        io.stderr.write(`${file} has no Timeline or Chronology section; no events extracted.\n`);
      } else if (extraction.undatedEntries > 0) {
        io.stderr.write(
          `${extraction.undatedEntries} entr${extraction.undatedEntries === 1 ? 'y has' : 'ies have'} a time but no ` +
            'date; pass --reference-date YYYY-MM-DD to place them.\n',
        );
      }
      if (opts.format === 'json') writeJson(io.stdout, output);
      else io.stdout.write(renderText(output));
    });
}
