/**
 * Who a sentence talks about: people (names, @handles, roles, he/she), teams, and collective agents (we, they,
 * someone). Names come from compromise's people detection, from names the document itself uses for people
 * ("paged Rune", "Priya (IC)"), and from capitalised words in front of verbs only people do ("Ilkka forgot") or
 * that the sentence goes on to call "he" or "she".
 */
import nlp from 'compromise';
import { BARE_ROLES, NAMED_TEAM, NOT_PEOPLE, PERSON_PRONOUN, PRONOUN_AGENT, ROLE, TEAM, USER } from './lexicon.js';

export interface Span {
  start: number;
  end: number;
  /** For capitalised words that may be names: whether they are, decided on first use (it may run compromise). */
  confirm?: () => boolean;
}

/** Whether the span stands for what it was found as; names are checked only when a rule needs them. */
export function confirmed(span: Span): boolean {
  return span.confirm ? span.confirm() : true;
}

/** Names used for people somewhere in the document, lower case. */
export type KnownPeople = ReadonlySet<string>;

const NAME = String.raw`[A-Z][a-z]+(?:-[A-Z][a-z]+)?`;

/** Contexts only people appear in: who was paged, who said what, who had which role. */
const PERSON_CONTEXTS: readonly RegExp[] = [
  new RegExp(
    String.raw`\b(?:paged|pinged|asked|thanked|told|messaged|dm'd|cc'd|cc|thanks|thank you)\s+@?(${NAME})\b`,
    'g',
  ),
  new RegExp(
    String.raw`\b(${NAME})(?:\s+${NAME})?\s+(?:said|says|wrote|writes|replied|mentioned|suggested|proposed|agreed|volunteered|thinks|asked|was paged|got paged|is on[- ]call|was on[- ]call|joined the (?:call|incident|channel|bridge))\b`,
    'g',
  ),
  new RegExp(
    String.raw`\b(${NAME})\s*\((?:the\s+)?(?:IC|incident commander|on[- ]?call|SRE|engineer|developer|dev|DBA|scribe|comms|responder|commander|lead|manager|intern|contractor|new hire)\b`,
    'gi',
  ),
  new RegExp(
    String.raw`\b(${NAME}),\s+(?:the|our|a|an)\s+(?:new\s+|junior\s+|senior\s+)?(?:on[- ]?call|DBA|SRE|incident commander|engineer|developer|intern|new hire|lead|scribe|manager)\b`,
    'g',
  ),
  new RegExp(String.raw`\b(${NAME}) and I\b`, 'g'),
];

/**
 * Names the document uses for people, lower case: "paged Rune", "Priya (IC)", "Ilkka, our on-call engineer".
 *
 * @example
 * [...peopleNamedIn(['We paged Rune at 10:04.'])]; // ['rune']
 */
export function peopleNamedIn(texts: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const text of texts) {
    for (const pattern of PERSON_CONTEXTS) {
      pattern.lastIndex = 0;
      for (const match of text.matchAll(pattern)) {
        const name = match[1]?.toLowerCase();
        if (name && !NOT_PEOPLE.has(name) && /^[A-Z]/.test(match[1] ?? '')) names.add(name);
      }
    }
  }
  return names;
}

/** Verbs that only people do: a capitalised unknown word in front of one is a name. */
const HUMAN_ONLY =
  /^\s+(?:accidentally |mistakenly |inadvertently |carelessly |simply |just )?(?:forgot|neglected|overlooked|mistyped|misread|misunderstood|misjudged|fat-fingered|typo'd|made (?:a|an) (?:mistake|error|typo)|was (?:careless|negligent|sloppy|lazy)|didn't bother|did not bother|accidentally|mistakenly|inadvertently)\b/i;

const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[] | undefined> } }).one.lexicon;

function tagsOf(word: string): string[] {
  const tags = lexicon[word.toLowerCase()];
  return tags === undefined ? [] : Array.isArray(tags) ? tags : [tags];
}

/** A word compromise knows as something other than a name: "Then", "When", "Someone". */
function commonWord(word: string): boolean {
  const tags = tagsOf(word);
  return tags.length > 0 && !tags.some((tag) => /Name|Person/.test(tag));
}

function spansOf(pattern: RegExp, text: string): Span[] {
  const spans: Span[] = [];
  pattern.lastIndex = 0;
  for (const match of text.matchAll(pattern)) spans.push({ start: match.index, end: match.index + match[0].length });
  return spans;
}

const ROLE_PATTERN = new RegExp(ROLE, 'gi');
const BARE_ROLE_PATTERN = new RegExp(BARE_ROLES, 'gi');
const TEAM_PATTERN = new RegExp(TEAM, 'gi');
const NAMED_TEAM_PATTERN = new RegExp(NAMED_TEAM, 'g');
const PERSON_PRONOUN_PATTERN = new RegExp(PERSON_PRONOUN, 'gi');
const USER_PATTERN = new RegExp(USER, 'gi');
/** He, she, his, her after a word: the sentence speaks of that word as a person ("Priya skipped it because she …"). */
const LATER_PERSON_PRONOUN = /\b(?:he|she|his|her|hers|him|himself|herself)\b/i;
const PRONOUN_AGENT_PATTERN = new RegExp(PRONOUN_AGENT, 'gi');
const HANDLE = /(?<![\w.@/])@[A-Za-z0-9][\w-]*(?![\w/-])/g;
const TEAM_HANDLE = /(?<![\w.@/])@[A-Za-z0-9][\w-]*\/[\w-]+/g;
const CANDIDATE_NAME = new RegExp(String.raw`(?<![\w@#$./'-])(${NAME})(?:\s+(${NAME}))?(?![\w-])`, 'g');

/** The people, teams and agents of one sentence, computed on first use (compromise costs about a millisecond). */
export class SentencePeople {
  private personSpans: Span[] | undefined;
  private teamSpans: Span[] | undefined;
  private agentSpans: Span[] | undefined;
  private userSpans: Span[] | undefined;

  constructor(
    private readonly text: string,
    private readonly knownPeople: KnownPeople,
  ) {}

  /** Names, @handles, roles and he/she. */
  people(): Span[] {
    this.personSpans ??= this.findPeople();
    return this.personSpans;
  }

  /** A single user ("the user", "a user"): a person only as the subject of a failure verb. */
  users(): Span[] {
    this.userSpans ??= spansOf(USER_PATTERN, this.text);
    return this.userSpans;
  }

  /** Named teams and @org/team handles. */
  teams(): Span[] {
    if (!this.teamSpans) {
      const spans = [
        ...spansOf(TEAM_PATTERN, this.text),
        ...spansOf(NAMED_TEAM_PATTERN, this.text),
        ...spansOf(TEAM_HANDLE, this.text),
      ];
      this.teamSpans = spans.filter(
        (span) => !/^(?:the|our|their)\s+(?:whole\s+|entire\s+)?team$/i.test(this.text.slice(span.start, span.end)),
      );
    }
    return this.teamSpans;
  }

  /** Anyone who can be the subject of a counterfactual: people, teams, and we / they / someone. */
  agents(): Span[] {
    this.agentSpans ??= [...this.people(), ...this.teams(), ...spansOf(PRONOUN_AGENT_PATTERN, this.text)];
    return this.agentSpans;
  }

  private findPeople(): Span[] {
    const text = this.text;
    const spans: Span[] = [
      ...spansOf(HANDLE, text),
      ...spansOf(ROLE_PATTERN, text),
      ...spansOf(BARE_ROLE_PATTERN, text),
      ...spansOf(PERSON_PRONOUN_PATTERN, text),
    ];
    let detected: Span[] | undefined;
    const compromisePeople = (): Span[] => {
      detected ??= (nlp(text).people().json({ offset: true }) as { offset?: { start: number; length: number } }[])
        .map((match) => match.offset)
        .filter((offset): offset is { start: number; length: number } => offset !== undefined)
        .map((offset) => {
          const raw = text.slice(offset.start, offset.start + offset.length);
          return { start: offset.start, end: offset.start + raw.replace(/'s$/i, '').replace(/\W+$/, '').length };
        });
      return detected;
    };
    CANDIDATE_NAME.lastIndex = 0;
    for (const match of text.matchAll(CANDIDATE_NAME)) {
      let start = match.index;
      const end = start + match[0].length;
      let words = [match[1], match[2]].filter((word): word is string => word !== undefined);
      // "Then Jenny", "When Bob": the first word is not part of the name.
      if (words.length === 2 && commonWord(words[0] ?? '')) {
        start = end - (words[1] ?? '').length;
        words = words.slice(1);
      }
      const first = words[0] ?? '';
      if (words.length === 1 && commonWord(first)) continue;
      if (words.some((word) => NOT_PEOPLE.has(word.toLowerCase()))) continue;
      if (words.some((word) => this.knownPeople.has(word.toLowerCase()))) {
        spans.push({ start, end });
        continue;
      }
      const rest = text.slice(end);
      if (
        tagsOf(first).length === 0 &&
        (HUMAN_ONLY.test(rest) || (words.length === 1 && LATER_PERSON_PRONOUN.test(rest)))
      ) {
        spans.push({ start, end });
        continue;
      }
      let verdict: boolean | undefined;
      // compromise reads context ("Grant access" is a verb) but misses names after adverbs ("Then Bob forgot");
      // a first name from its lexicon right before a failure verb is a person either way.
      const confirm = (): boolean =>
        (verdict ??=
          tagsOf(first).some((tag) => /^(?:FirstName|MaleName|FemaleName|Person)$/.test(tag)) ||
          compromisePeople().some((span) => span.start < end && span.end > start));
      spans.push({ start, end, confirm });
    }
    return spans;
  }
}
