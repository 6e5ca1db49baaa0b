/** What each rule is for: default severity, the one-line description, the longer help and the rewrite advice. */
import type { RuleId, Severity } from './types.js';

export interface RuleMeta {
  id: RuleId;
  defaultSeverity: Severity;
  /** One line, for SARIF `shortDescription` and rule lists. */
  title: string;
  /** Why it matters, for SARIF `help` and the documentation. */
  help: string;
  /** The finding's message for the flagged text. */
  message: (text: string) => string;
  /** The rewrite advice used when a pattern has none of its own. */
  suggestion: string;
}

const quote = (text: string): string => `"${text.replace(/\s+/g, ' ')}"`;

export const RULES: Readonly<Record<RuleId, RuleMeta>> = {
  'human-error': {
    id: 'human-error',
    defaultSeverity: 'error',
    title: 'Human error named as a cause',
    help:
      '"Human error" ends the inquiry where it should start: an action that led to an incident made sense to the ' +
      'person at the time, and the system let it through. Blaming it teaches people to stay quiet next time.',
    message: (text) => `${quote(text)} presents a human slip as the cause`,
    suggestion:
      'Describe the system conditions that allowed the action and hid its effect: missing guard rails or ' +
      'confirmation, unsafe defaults, tooling, documentation, time pressure.',
  },
  counterfactual: {
    id: 'counterfactual',
    defaultSeverity: 'warning',
    title: 'Counterfactual: what someone should or could have done',
    help:
      'Counterfactuals ("should have", "could have", "if they had") describe a world that did not happen and judge ' +
      'people by an outcome they could not see. They explain nothing about why the actions taken made sense.',
    message: (text) => `${quote(text)} describes what did not happen instead of what did`,
    suggestion:
      'State what happened and why it made sense at the time with what people knew; turn the alternative into an ' +
      'action item that makes it the easy path.',
  },
  hindsight: {
    id: 'hindsight',
    defaultSeverity: 'warning',
    title: 'Hindsight bias: the outcome presented as obvious',
    help:
      'Words like "obviously", "simply" and "just needed to" claim the right move was evident. It was only evident ' +
      'once the outcome was known; at the time the signal competed with everything else.',
    message: (text) => `${quote(text)} judges the past with knowledge of the outcome`,
    suggestion:
      'Describe what people saw and knew at the time, and why the signal did not stand out; state what happened ' +
      'and why it made sense then.',
  },
  judgmental: {
    id: 'judgmental',
    defaultSeverity: 'error',
    title: "Judgmental language about people's conduct",
    help:
      'Judgments of character (careless, lazy, incompetent) or conduct (dropped the ball, ignored the page) put the person on trial ' +
      'and end the analysis of the situation that shaped their actions.',
    message: (text) => `${quote(text)} judges a person instead of describing events`,
    suggestion:
      'Replace the judgment with facts: what was done, what the person expected to happen, and what the system ' +
      'showed them (e.g. "the page fired during another incident and was not acknowledged for 20 minutes").',
  },
  'person-as-cause': {
    id: 'person-as-cause',
    defaultSeverity: 'error',
    title: 'A person as the cause of the failure',
    help:
      'Naming a person (by name, @handle or role) as the subject of a failure or as its cause makes the postmortem ' +
      'about who, not how. Anyone in that position could have taken the same action; describe the position.',
    message: (text) => `${quote(text)} makes a person the cause`,
    suggestion:
      'Make the change or the system the subject and describe the conditions: e.g. "a configuration change with an ' +
      'invalid value was deployed; nothing validated it before rollout" instead of who deployed it.',
  },
  'team-blame': {
    id: 'team-blame',
    defaultSeverity: 'warning',
    title: 'Blame assigned to a team',
    help:
      'Blaming another team moves the incident out of the room: the interesting part is the interface between ' +
      'teams and systems (contracts, handoffs, ownership, communication), which a team name hides.',
    message: (text) => `${quote(text)} assigns blame to a team`,
    suggestion:
      'Describe the interaction instead: which change crossed which boundary, what each side expected, and what ' +
      'would have made the mismatch visible.',
  },
  'root-cause': {
    id: 'root-cause',
    defaultSeverity: 'info',
    title: 'Single root-cause framing',
    help:
      'Incidents in complex systems come from several contributing factors acting together; naming one "root ' +
      'cause" stops the analysis early and usually lands on the last human action.',
    message: (text) => `${quote(text)} frames the incident as having a single root cause`,
    suggestion:
      'List contributing factors instead (change, configuration, capacity, dependency, detection gap, process, …) ' +
      'and how they combined.',
  },
};
