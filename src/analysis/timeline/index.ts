/**
 * Timelines from existing postmortems: the events of a markdown postmortem's Timeline / Chronology section, with
 * lifecycle markers and response durations.
 */
export { extractTimeline } from './extract.js';
export type {
  ExtractTimelineOptions,
  ExtractedEvent,
  TimelineDurations,
  TimelineExtraction,
  TimelineMarkers,
} from './types.js';
