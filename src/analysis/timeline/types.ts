/** Options of {@link extractTimeline}. */
export interface ExtractTimelineOptions {
  /** Year for dates written without one ("Oct 30th") when the document states no year anywhere. */
  defaultYear?: number;
  /** `YYYY-MM-DD`: the day of time-only entries when the document states no date anywhere. */
  referenceDate?: string;
}

/** One timestamped entry of a timeline section. */
export interface ExtractedEvent {
  /** ISO-8601 UTC (`Date#toISOString()` form). */
  at: string;
  /** The entry's description: timestamp removed, markdown emphasis, links and code marks stripped. */
  text: string;
  /** 1-based line of the entry's timestamp in the input. */
  line: number;
  /** Present (true) when the entry gives a day but no time; `at` is then midnight of that day in its zone. */
  dateOnly?: true;
}

/** Lifecycle moments inferred from the events' wording, as ISO-8601 UTC. */
export interface TimelineMarkers {
  impactStart?: string;
  detected?: string;
  mitigated?: string;
  resolved?: string;
}

/** Whole minutes from impact start; a key is present only when both ends are known. */
export interface TimelineDurations {
  timeToDetectMinutes?: number;
  timeToMitigateMinutes?: number;
  timeToResolveMinutes?: number;
}

/** What {@link extractTimeline} found in a postmortem. */
export interface TimelineExtraction {
  /** Whether the document has a Timeline / Chronology section at all. */
  hasTimelineSection: boolean;
  /** Events sorted by time; entries with the same time keep their document order. */
  events: ExtractedEvent[];
  markers: TimelineMarkers;
  durations: TimelineDurations;
  /** Entries with a time but no day to put it on: no date in the document and no `referenceDate`. */
  undatedEntries: number;
}
