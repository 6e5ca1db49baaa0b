/**
 * Lifecycle markers (impact start, detection, mitigation, resolution) inferred from the wording of timeline
 * events, and the response durations they imply.
 */
import type { TimelineDurations, TimelineMarkers } from './types.js';

/** The part of an event the marker inference needs. */
export interface MarkerCandidate {
  /** ISO-8601 UTC. */
  at: string;
  text: string;
}

type MarkerName = keyof TimelineMarkers;

const VERB_START = String.raw`(?:began|begins|begin|beginning|started|starts|start|starting)`;

/** Phrases per marker; all case-insensitive and anchored at word boundaries. */
/** Phrases per marker: case-insensitive, anchored at word boundaries, global for `matchAll`. */
const PHRASES: Record<MarkerName, RegExp[]> = {
  impactStart: [
    new RegExp(
      String.raw`\b(?:impact|outage|incident|problems?|issues?|degradation|disruption|downtime|errors?|failures?)\s+(?:has\s+|have\s+)?${VERB_START}\b`,
      'gi',
    ),
    /\bfirst\s+(?:\S+\s+)?(?:reports?|instance|occurr?ence|signs?)\b/gi,
    new RegExp(String.raw`\bcustomers?\s+${VERB_START}\b`, 'gi'),
    /\b(?:start|beginning|onset)\s+of\s+(?:the\s+)?(?:impact|outage|incident)\b/gi,
  ],
  detected: [
    /\bdetect(?:ed|s|ion)?\b/gi,
    /\b(?:alerts?|alarms?|pages?)\s+(?:was\s+|were\s+|is\s+)?(?:fired|fires|firing|triggered|triggers|received|generated|sent|went\s+off)\b/gi,
    /\b(?:receive[sd]?|got)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}(?:alerts?|alarms?|pages?)\b/gi,
    /\bfirst\s+(?:alert|alarm|page)\b/gi,
    /\b(?:alerted|paged)\b/gi,
    /\bnotic(?:ed|es|ing)\b/gi,
    /\breport(?:ed|s|ing)\b/gi,
    /\bon-?call(?:er)?\s+(?:was\s+|is\s+)?(?:notified|alerted|paged)\b/gi,
    /\bmonitoring\s+(?:showed|shows|detected|detects|reported|reports|flagged|alerted)\b/gi,
    /\bbecame\s+aware\b/gi,
    /\b(?:inform(?:ed|s)?|notif(?:ied|ies|y))\s+us\b/gi,
    /\b(?:we|team)\s+(?:are\s+|were\s+|was\s+|is\s+)?(?:notified|informed)\b/gi,
  ],
  mitigated: [
    /\bmitigated\b/gi,
    /\broll(?:s|ed)\s+back\b/gi,
    /\broll-?\s?back\s+(?:was\s+|is\s+)?(?:completed?|performed|done|finished|succeeded|successful)\b/gi,
    /\breverted\b/gi,
    /\bfail(?:ed)?[\s-]?over\b/gi,
    /\bworkarounds?\b/gi,
    /\brecovered\b/gi,
    /\brecovery\s*:/gi,
    /\brestored\b/gi,
    /\bback\s+online\b/gi,
    /\berror\s+rates?\s+(?:\w+\s+)?(?:returned|back|normali[sz]ed|recovered|dropped)\b/gi,
  ],
  resolved: [
    /\bresolved\b/gi,
    /\ball[\s-]clear\b/gi,
    /\bfully\s+(?:recovered|restored|operational)\b/gi,
    /\b(?:incident|outage|issue)\s+(?:was\s+|is\s+|has\s+been\s+)?closed\b/gi,
    /\bfix(?:es)?\s+(?:was\s+|were\s+)?deployed\s+and\s+verified\b/gi,
    /\bback\s+to\s+normal\b/gi,
    /\bresolution\s+(?:is\s+|was\s+)?(?:confirmed|complete|completed)\b/gi,
    /\b(?:outage|incident|impact)\s+(?:ends|ended|is\s+over|was\s+over)\b/gi,
    /\ball\s+systems\s+(?:verified\s+)?operational\b|\bverified\s+all\s+systems\s+operational\b/gi,
  ],
};

/** A negation shortly before a phrase ("no abnormal activity was detected") cancels it. */
const NEGATION = /\b(?:no|not|never|nothing|without|cannot|none)\b|n't\b/i;

function isNegated(text: string, phraseIndex: number): boolean {
  const clause =
    text
      .slice(0, phraseIndex)
      .split(/[.;!?]/)
      .pop() ?? '';
  const lastWords = clause.trim().split(/\s+/).slice(-5).join(' ');
  return NEGATION.test(lastWords);
}

/** Whether `text` says what `marker` stands for, in the affirmative. */
export function mentions(marker: MarkerName, text: string): boolean {
  return PHRASES[marker].some((phrase) =>
    Array.from(text.matchAll(phrase)).some((match) => !isNegated(text, match.index)),
  );
}

/**
 * Picks the lifecycle markers from events sorted by time. Impact start is the first event that says impact began,
 * or else the earliest event; detection is the first matching event at or after impact start; resolution the last
 * matching event at or after detection; mitigation the first matching event between impact start and resolution.
 * A marker that no event supports in that order is left out.
 */
export function inferMarkers(events: readonly MarkerCandidate[]): TimelineMarkers {
  const first = events[0];
  if (!first) return {};
  const impactStart = events.find((event) => mentions('impactStart', event.text))?.at ?? first.at;
  const detected = events.find((event) => event.at >= impactStart && mentions('detected', event.text))?.at;
  const resolved = events.findLast(
    (event) => event.at >= (detected ?? impactStart) && mentions('resolved', event.text),
  )?.at;
  const mitigated = events.find(
    (event) =>
      event.at >= impactStart && (resolved === undefined || event.at <= resolved) && mentions('mitigated', event.text),
  )?.at;
  const markers: TimelineMarkers = { impactStart };
  if (detected) markers.detected = detected;
  if (mitigated) markers.mitigated = mitigated;
  if (resolved) markers.resolved = resolved;
  return markers;
}

function minutesBetween(from: string, to: string | undefined): number | undefined {
  if (to === undefined) return undefined;
  return Math.floor((Date.parse(to) - Date.parse(from)) / 60_000);
}

/** Whole minutes (rounded down) from impact start to detection, mitigation and resolution, where known. */
export function durationsFrom(markers: TimelineMarkers): TimelineDurations {
  const durations: TimelineDurations = {};
  if (!markers.impactStart) return durations;
  const detect = minutesBetween(markers.impactStart, markers.detected);
  const mitigate = minutesBetween(markers.impactStart, markers.mitigated);
  const resolve = minutesBetween(markers.impactStart, markers.resolved);
  if (detect !== undefined) durations.timeToDetectMinutes = detect;
  if (mitigate !== undefined) durations.timeToMitigateMinutes = mitigate;
  if (resolve !== undefined) durations.timeToResolveMinutes = resolve;
  return durations;
}
