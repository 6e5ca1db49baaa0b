/**
 * Finding the Timeline / Chronology section of a postmortem.
 */
import type { Heading, MarkdownDocument } from './markdown.js';
import { parseTimestamp, type DateReading } from './time-parse.js';

/** A timeline section: its heading line and the body lines after it (`bodyStart` inclusive, `end` exclusive). */
export interface Section {
  headingIndex: number;
  heading: Heading;
  bodyStart: number;
  end: number;
}

/**
 * "Timeline", "Chronology", "Timeline of events", "Detailed timeline", "Incident timeline", "Sequence of events",
 * with at most two words before the keyword and anything after it ("Timeline (all times UTC) May 10th, 2021").
 * A leading section number ("5. Timeline") is ignored.
 */
const TIMELINE_HEADING =
  /^(?:\d+(?:\.\d+)*[.)]?\s+)?(?:(?:\S+\s+){0,2}(?:timeline|chronology)\b|(?:\S+\s+)?sequence of events\b)/i;

/** Whether a heading's text names a timeline section. */
export function isTimelineHeading(text: string): boolean {
  return TIMELINE_HEADING.test(text);
}

/**
 * The timeline sections of a document, outermost only, in document order. A section ends at the next heading of
 * the same or a higher level, except that headings which are themselves timestamps (`## 14:05`,
 * `## May 26, 2021`) belong to the timeline rather than ending it.
 */
export function findTimelineSections(document: MarkdownDocument, reading: DateReading): Section[] {
  const sections: Section[] = [];
  const { lines } = document;
  for (let index = 0; index < lines.length; index++) {
    const heading = lines[index]?.heading;
    if (!heading || !isTimelineHeading(heading.text)) continue;
    let end = index + 1;
    for (; end < lines.length; end++) {
      const next = lines[end]?.heading;
      if (next && next.level <= heading.level && !parseTimestamp(next.text, reading)) break;
    }
    const bodyStart = lines[index + 1]?.kind === 'underline' ? index + 2 : index + 1;
    sections.push({ headingIndex: index, heading, bodyStart, end });
    index = end - 1;
  }
  return sections;
}
