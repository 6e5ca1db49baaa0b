/**
 * The rules, applied to one sentence of prose. Each detector returns ranges within the sentence; `lint.ts` maps
 * them back to the document. The sentence text has curly quotes straightened and allowed phrases masked, with
 * its length unchanged.
 */
import {
  ADJECTIVAL_PARTICIPLES,
  BEEN_MORE,
  CAUSED_BY,
  CHANGE_NOUN,
  DUE_TO,
  FAILURE_VERB,
  FAULT_NOUN,
  HINDSIGHT_VERBS,
  isVerbParticiple,
  PAGE,
  PASSIVE_HINDSIGHT,
  SUBJECT_GAP,
} from './lexicon.js';
import { confirmed, SentencePeople, type KnownPeople, type Span } from './people.js';
import type { RuleId } from './types.js';

export interface RawMatch {
  ruleId: RuleId;
  /** Offsets within the sentence. */
  start: number;
  end: number;
  /** Advice specific to the pattern, when the rule's general advice fits less well. */
  suggestion?: string;
}

const HUMAN_ERROR =
  /\b(?:human[- ](?:errors?|mistakes?|failures?|fault)|operator[- ]errors?|pilot[- ]errors?|user[- ]error(?![- ]?(?:messages?|codes?|rates?|responses?|handling|counts?|pages?|dialogs?|states?)\b)|(?:(?:human|operator|user)[- ](?:misunderstandings?|slips?|lapses?|blunders?)|(?:operator|user)[- ]mistakes?)(?![- ]?(?:counters?|metrics?|counts?|rates?|handling)\b)|pebkac|pebcak|id-?10-?t(?: error)?|fat[- ]?finger(?:ed|ing|s)?|layer[- ]8 (?:issue|problem|error))\b/gi;
/** The term named or discussed rather than used as an explanation: "the old view of human error", "so-called". */
const MENTIONED_BEFORE =
  /\b(?:views?\s+(?:of|on)|theor(?:y|ies)\s+of|notions?\s+of|concepts?\s+of|ideas?\s+of|myths?\s+of|understanding\s+of|so-called|the\s+(?:term|phrase|words?|label))\s+["']?$/i;

/** Words before a phrase that turn it into the opposite claim or a design goal: "not human error", "reduce the risk of". */
const NEGATED_BEFORE =
  /(?:\b(?:not|never|no|rather than|instead of|beyond|without|avoid(?:s|ed|ing)?|reduc(?:e|es|ed|ing)|prevent(?:s|ed|ing)?|eliminat(?:e|es|ed|ing)|minimi[sz](?:e|es|ed|ing)|(?:guard|protect)(?:s|ed|ing)? against|prone to|risks? of|chances? of|likelihood of|possibility of|potential for|room for|susceptible to|resilient to|tolerant of|tolerat(?:e|es|ing)|mitigat(?:e|es|ed|ing))|n't)\s+(?:[\w-]+\s+){0,3}["']?$/i;
const NEGATED_AFTER =
  /^["')\]]?\s*(?:(?:is|was|are|were)\s+(?:never|not|rarely|seldom)\b|(?:isn't|wasn't|aren't|weren't)\b|(?:as|is|are|was)\s+(?:just |only |merely |always )?an? (?:symptom|signal|starting point|label|explanation)\b)/i;
/** A hypothesis the responders held and dropped is not a conclusion: "assumed user error at the time". */
const HYPOTHESIS_BEFORE =
  /\b(?:assum(?:e|ed|ing)|suspect(?:ed|ing)?|ruled out|rule out|thought it was|guess(?:ed)?)\s+(?:(?:it was|a|an|the)\s+)?$/i;

const JUDGMENTAL = new RegExp(
  String.raw`\b(?:careless(?:ly|ness)?|sloppy|sloppily|sloppiness|lazy|laziness|lazily|negligent(?:ly)?|negligence|incompeten(?:t|ce|tly)|reckless(?:ly|ness)?|(?:screwed|messed|fucked|goofed|cocked) (?:it |things |this |everything )?up|screw-?ups?|mess-?ups?|dropped the ball|(?:didn't|did not|didnt|never) (?:even )?bother(?:ed)?(?: to)?|ignor(?:ed|ing|es|e) ` +
    PAGE +
    String.raw`|blunder(?:s|ed)?|stupid(?:ity|ly)?|dumb|idiot(?:s|ic|ically)?|foolish(?:ly|ness)?|bone-?headed|inexcusable|rookie (?:mistake|error)s?|asleep at the wheel|half-?assed|embarrassing|shameful|disgraceful|unprofessional|amateurish|lack of (?:care|diligence|attention|competence|ownership))\b`,
  'gi',
);
/** "lazy loading", "lazy-loaded", "dumb terminal": technical terms, not judgments. */
const TECHNICAL_AFTER =
  /^(?:-|\s+(?:load|eval|init|import|iter|seq|mode|fetch|static|val|prop|bind|compil|delet|expir|consum|migrat|instant|modul|mount|render|hydrat|chunk|approach|strateg|allocat|query|queries|terminal|pipe|client|proxy|switch|down)\w*\b)/i;

/** "not careless", "nobody was careless": the judgment denied. */
const NOT_JUDGED_BEFORE = /(?:\bnot|n't|\bnever|\b(?:nobody|no one|no-one|none of us) (?:was|were))\s+$/i;
/** "bad actors who are careless and incompetent": a claim about a kind of person, as a view to argue with. */
const GENERIC_JUDGED_BEFORE =
  /(?<!\b(?:the|our|their|these|those)\s+(?:[\w-]+\s+)?)\b(?:actors|apples|people|individuals|humans|engineers|operators|developers|employees|workers|staff|folks)\s+(?:who|that)\s+(?:are|is)\s+(?:[\w-]+\s+(?:and|or)\s+)?$/i;

/** "not a root cause", "no single root cause". */
const NEGATED_CAUSE_BEFORE = /(?:\bnot|n't|\bnever|\bno)\s+(?:[\w-]+\s+){0,2}$/i;

const ROOT_CAUSE_PATTERNS: readonly RegExp[] = [
  // A heading or label that is only "Root cause".
  /^\W*(?:the\s+)?root[- ]cause\s*:?\W*$/gi,
  // "the root cause was", "root cause of the outage is", "root cause:", "root cause identified:".
  /\b(?:(?:the|a|its|our|their)\s+)?(?:(?:primary|main|single|sole|real|ultimate|underlying|actual|fundamental|only|same|true)\s+)?root[- ]cause(?![s-]|\s+analys)(?:\s+of\s+[^.,;:!?]{1,80}?)?\s*(?:\b(?:was|is|were|are|seems to be|appears to be|turned out to be|has been|had been)\b|(?:\s+(?:identified|found|determined|discovered))?\s*[:=—–])(?!\s*(?:not|still|unknown|unclear|yet|being|under|n't|(?:\w+ly\s+)?(?:found|identified|discovered|diagnosed|investigated|fixed|addressed|resolved)(?!\s+(?:as|to be))|determined(?!\s+to be))\b)/gi,
  // "… was the root cause", "identified X as the root cause".
  /\b(?:as|is|was|be|being|are|were|been)\s+(?:the|a|its|their|our)\s+(?:(?:primary|main|single|sole|real|ultimate|underlying|actual|fundamental|only|same|true|likely|probable|most likely)\s+)?root[- ]cause(?![s-])\b/gi,
  /\b(?:primary|main|single|sole|ultimate|underlying|actual|fundamental|only|real)\s+root[- ]cause(?![s-])\b/gi,
  /\bthe\s+(?:(?:main|primary|only|sole|single|real|underlying|ultimate|actual)\s+)?cause\s+of\s+(?:the|this|these|that|all|our)\s+(?:[\w-]+\s+){0,3}?(?:outage|incident|issues?|problems?|failures?|downtime|disruption|breakage|degradation|errors?|slowdown|crash(?:es)?|bug)\s+(?:was|is|were|are)\b(?!\s+(?:\w+ly\s+)?(?:not|still|unknown|unclear|found|identified|discovered|diagnosed|investigated|fixed|addressed|resolved)\b)/gi,
  /\bthe\s+(?:main|primary|only|sole|single|real|underlying|ultimate|actual)\s+cause\s+(?:was|is)\b/gi,
  /\b(?:was|is|were|pointed to|points to|identified|found|traced (?:it |this )?to|came down to|comes down to|boils down to)\s+(?:a|the|one)\s+(?:single|sole|only)\s+(?:root\s+)?cause\b/gi,
  // "it all comes down to one thing": the single cause without the word.
  /\b(?:come|comes|came|boil|boils|boiled)\s+down\s+to\s+(?:one|a single|a sole)\s+(?:thing|factor|cause|issue|problem|mistake|error|decision|change|bug)\b/gi,
];
const ROOT_CAUSE_HEADING_ADVICE =
  'Call the section "Contributing factors" and list each factor with its category (change, config, capacity, dependency, detection gap, process, …).';

const MODAL_HAVE =
  /\b(should|could|would|ought to)(n't|nt| not| never)?(?:\s+(just|simply|really|easily|also|probably|definitely|obviously|clearly|certainly|likely))?(?:\s+have|'ve|\s+of)\s+(?:(just|simply|really|easily|also|probably|definitely|obviously|clearly|already|properly|actually|at least)\s+)?([a-z][a-z'-]*)(?:\s+([a-z][a-z'-]*))?/dgi;
const BELIEF_BEFORE =
  /\b(?:assum(?:e|ed|es|ing)|thought|think|believ(?:e|ed|ing)|hop(?:e|ed|ing)|expect(?:ed|ing)?)\s+(?:that\s+)?$/i;
/** "we could have rolled back sooner": the comparative is the hindsight. */
const SOONER = /\b(?:sooner|earlier|faster|quicker|in time)\b/i;
const WORSE_OUTCOME = /\b(?:later|worse|longer|slower)\b/i;
const IF_SUBJECT = /\bif\s+(?:only\s+)?/gi;
const INVERTED_HAD = /(?:^\W*|[,;:(—–]\s*|\b(?:but|and|yet|or)\s+)(had)\s+/gi;
const HAD_AFTER_SUBJECT =
  /^\s+had(n't|\s+not|\s+never)?\s+(?:(?:just|only|simply|actually|properly|already|also|even)\s+)?([a-z][a-z'-]*)(?:\s+([a-z][a-z'-]*))?/di;
const PARTICIPLE_AFTER_INVERTED =
  /^(n't|\s+not|\s+never)?\s+(?:(?:just|only|simply|actually|properly|already|also|even)\s+)?([a-z][a-z'-]*)(?:\s+([a-z][a-z'-]*))?/di;

const JUST_NEEDED = /\b(?:just|simply|merely)\s+(?:needed|had|need|needs|has|have)\s+to\b/gi;
const ALL_THEY_HAD = /\ball\s+(?:[\w@-]+\s+){1,3}?(?:had|needed)\s+to\s+do\s+was\b/gi;
const MATTER_OF = /\b(?:simply|just|merely)\s+a\s+matter\s+of\b/gi;
const OBVIOUSLY = /\bobviously\b/gi;
const CLEARLY = /\bclearly\b/gi;
const IMPACT_AFTER =
  /^\s+(?:(?:very|quite|really|extremely)\s+)?(?:painful|frustrating|disruptive|stressful|important|serious|worrying|concerning|unpleasant|impactful|urgent|bad for|a (?:priority|concern|problem for))\b/i;
const CLEARLY_JUDGING =
  /^\s+(?:should|shouldn't|needed|had to|wrong|broken|a mistake|an error|the fault|at fault|missed|ignored|failed|didn't|did not|never|could have|would have)\b/i;
/** "It was obvious", "the problem should have been obvious": the signal, not a fix, judged obvious after the fact. */
const WAS_OBVIOUS =
  /\b(?:(?:it|this|that|the (?:[\w-]+ )?(?:problems?|issues?|cause|errors?|signals?|signs?|symptoms?|risks?|mistakes?|warnings?|alerts?|bugs?|failures?|answer|red flags?)(?:\s+(?:of|in|on|from|for|with)(?:\s+[\w-]+){1,3}?)?|the (?:right|correct|proper|sensible) (?:[\w-]+ )?(?:action|thing to do|move|call|decision|fix|step|response))\s+(?:was|were|is|are)\s+(?:so\s+|very\s+|pretty\s+|fairly\s+|quite\s+|blatantly\s+|painfully\s+|glaringly\s+)?obvious|(?:should|must|would) have been\s+(?:so\s+|very\s+|pretty\s+|fairly\s+|quite\s+|blatantly\s+|painfully\s+|glaringly\s+)?(?:obvious|clear|apparent|evident))\b/gi;
const FAILED_TO_NOTICE =
  /\bfailed\s+to\s+(?:notice|realize|realise|spot|catch|see|recognize|recognise|identify|understand|appreciate|anticipate|foresee)\b/gi;
const SIMPLY_FAILED =
  /\b(?:simply|just)\s+(?:forgot|ignored|missed|didn't|did not|failed|neglected|overlooked|skipped)\b/gi;
const PLAN = /^\W*(?:clearly|obviously),?\s+(?:we|you|they)\s+(?:need|should|must|want|have to)\b/i;

const POSSESSIVE_FAULT = new RegExp(String.raw`^'s?\s+(?:[\w-]+\s+)?${FAULT_NOUN}\b`, 'i');
const POSSESSIVE_CHANGE_CAUSED = new RegExp(
  String.raw`^'s?\s+(?:[\w-]+\s+){0,2}?${CHANGE_NOUN}\s+(?:[a-z]+ly\s+)?(?:broke|caused|took down|brought down|triggered|deleted|introduced|corrupted|overwrote|wiped)\b`,
  'i',
);
const POSSESSIVE_CAUSE = new RegExp(String.raw`^'s?\s+(?:[\w-]+\s+){0,2}?(?:${CHANGE_NOUN}|${FAULT_NOUN})\b`, 'i');
/** "This outage is on the DBA team": blame by idiom. */
const IS_ON =
  /\b(?:(?:this|that|the) (?:outage|incident|failure|breakage|downtime|one)|this|that|it)\s+(?:is|was)\s+(?:all\s+|squarely\s+|entirely\s+)?on\s+/gi;
/** "Blame for the data loss lies with the storage team": blame placed by idiom. */
const BLAME_LIES_WITH =
  /\b(?:blame|fault)\s+(?:for\s+[^,.;:!?]{1,60}?\s+)?(?:lies|lay|rests|rested|falls|fell|sits|sat|is|was)\s+(?:squarely\s+|entirely\s+|solely\s+|firmly\s+|clearly\s+)?(?:with|on)\s+/gi;
/** Quick test: could this sentence name anyone as a cause at all? Saves the people detection on most sentences. */
const CAUSE_TRIGGER = /'s?\s|\bon\s|\bby\s|\bdue to\b|\bbecause of\b|\bowing to\b|\bresult of\b|\bblamed?\b|\bfault\b/i;

function isQuoted(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  let after = text[end];
  if (after !== undefined && '.,;:!?'.includes(after)) after = text[end + 1];
  return (before === '"' || before === "'") && (after === '"' || after === "'");
}

/** The span ending closest before `position` with only adverbs, auxiliaries or a comma in between. */
function subjectBefore(text: string, spans: readonly Span[], position: number): Span | undefined {
  const candidates = spans
    .filter((span) => span.end <= position && SUBJECT_GAP.test(text.slice(span.end, position)))
    .sort((a, b) => b.end - a.end || a.start - b.start);
  return candidates.find(confirmed);
}

function spanStartingAt(spans: readonly Span[], position: number): Span | undefined {
  const candidates = spans.filter((span) => span.start === position).sort((a, b) => b.end - a.end);
  return candidates.find(confirmed);
}

function isNegated(word: string | undefined): boolean {
  return word !== undefined && word.trim() !== '';
}

/**
 * A question, direct or as a prompt to the reviewers: "What could we have done differently?", "Reflect if the change
 * should have been announced to the teams".
 */
const QUESTION =
  /\?\W*$|^\W*(?:reflect(?:\s+on)?|consider|discuss|ask(?:\s+(?:yourself|ourselves|the team))?|evaluate|assess|decide|determine|find out|investigate)\s+(?:if|whether)\b/i;

/** One sentence as the detectors see it. */
interface Sentence {
  text: string;
  who: SentencePeople;
  /** Questions ("What could we have done differently?") are how reviews ask, not claims: no hindsight rules. */
  question: boolean;
}

type Detector = (sentence: Sentence) => RawMatch[];

const match = (ruleId: RuleId, start: number, end: number, suggestion?: string): RawMatch =>
  suggestion === undefined ? { ruleId, start, end } : { ruleId, start, end, suggestion };

const humanError: Detector = ({ text }) => {
  const found: RawMatch[] = [];
  for (const m of text.matchAll(HUMAN_ERROR)) {
    const end = m.index + m[0].length;
    if (isQuoted(text, m.index, end)) continue;
    if (NEGATED_BEFORE.test(text.slice(Math.max(0, m.index - 60), m.index))) continue;
    if (NEGATED_AFTER.test(text.slice(end))) continue;
    if (HYPOTHESIS_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    if (MENTIONED_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    found.push(match('human-error', m.index, end));
  }
  return found;
};

const judgmental: Detector = ({ text }) => {
  const found: RawMatch[] = [];
  for (const m of text.matchAll(JUDGMENTAL)) {
    const end = m.index + m[0].length;
    if (isQuoted(text, m.index, end)) continue;
    if (/^(?:lazy|lazily|dumb)$/i.test(m[0]) && TECHNICAL_AFTER.test(text.slice(end))) continue;
    if (NOT_JUDGED_BEFORE.test(text.slice(Math.max(0, m.index - 20), m.index))) continue;
    if (GENERIC_JUDGED_BEFORE.test(text.slice(Math.max(0, m.index - 80), m.index))) continue;
    found.push(match('judgmental', m.index, end));
  }
  return found;
};

const rootCause: Detector = ({ text }) => {
  const found: RawMatch[] = [];
  for (const pattern of ROOT_CAUSE_PATTERNS) {
    const heading = pattern === ROOT_CAUSE_PATTERNS[0];
    for (const m of text.matchAll(pattern)) {
      const end = m.index + m[0].replace(/[\s:=—–]+$/, '').length;
      if (isQuoted(text, m.index, end)) continue;
      if (NEGATED_CAUSE_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
      const start = heading ? m.index + (/^\W*/.exec(m[0])?.[0].length ?? 0) : m.index;
      found.push(match('root-cause', start, end, heading ? ROOT_CAUSE_HEADING_ADVICE : undefined));
    }
  }
  return found;
};

/** person-as-cause and team-blame: who is the subject of a failure, or named as its cause. */
const blame: Detector = ({ text, who }) => {
  const found: RawMatch[] = [];
  const add = (isTeam: boolean, start: number, end: number): void => {
    found.push(match(isTeam ? 'team-blame' : 'person-as-cause', start, end));
  };
  for (const m of text.matchAll(FAILURE_VERB)) {
    // "the user failed to load the page" is impact; "the user didn't think to scroll down" is blame.
    const people = /^failed/i.test(m[0]) ? who.people() : [...who.people(), ...who.users()];
    const person = subjectBefore(text, people, m.index);
    const team = subjectBefore(text, who.teams(), m.index);
    const subject = person && (!team || person.end >= team.end) ? person : team;
    if (subject) add(subject === team, subject.start, m.index + m[0].length);
  }
  if (!CAUSE_TRIGGER.test(text)) return found;
  const named = [
    ...who.people().map((span) => ({ span, isTeam: false })),
    ...who.teams().map((span) => ({ span, isTeam: true })),
  ];
  for (const pattern of [CAUSED_BY, DUE_TO, IS_ON, BLAME_LIES_WITH]) {
    for (const m of text.matchAll(pattern)) {
      const after = m.index + m[0].length;
      // "due to Bob's change" needs the change; "caused by Bob", "blamed on Bob", "the fault of Bob" do not.
      const needsThing = pattern === DUE_TO && !/blame|fault/i.test(m[0]);
      for (const { span, isTeam } of named) {
        if (span.start !== after || !confirmed(span)) continue;
        const thing = POSSESSIVE_CAUSE.exec(text.slice(span.end));
        if (thing || !needsThing) add(isTeam, m.index, span.end + (thing?.[0].length ?? 0));
      }
    }
  }
  for (const { span, isTeam } of named) {
    const rest = text.slice(span.end);
    const fault = POSSESSIVE_FAULT.exec(rest) ?? POSSESSIVE_CHANGE_CAUSED.exec(rest);
    if (fault && confirmed(span)) add(isTeam, span.start, span.end + fault[0].length);
  }
  return found;
};

/** "been more careful", "been caught": whether the words after "have been" make a counterfactual. */
function beenCounterfactual(negation: string | undefined, next: string | undefined): boolean {
  return !isNegated(negation) && next !== undefined && BEEN_MORE.test(next);
}

const counterfactual: Detector = ({ text, who, question }) => {
  if (question) return [];
  const found: RawMatch[] = [];
  const agentBefore = (position: number): Span | undefined => subjectBefore(text, who.agents(), position);

  for (const m of text.matchAll(MODAL_HAVE)) {
    const modal = (m[1] ?? '').toLowerCase();
    const adverb = (m[3] ?? m[4] ?? '').toLowerCase();
    const first = (m[5] ?? '').toLowerCase();
    const second = m[6];
    const endOf = (group: 5 | 6): number => m.indices?.[group]?.[1] ?? m.index + m[0].length;
    if (first === 'been') {
      // "should have been caught" (any subject), "we should have been more careful" (a person or team).
      // "could not have been prevented" says the opposite: nothing anyone did would have changed it.
      const inevitable = modal === 'could' && isNegated(m[2]);
      if (PASSIVE_HINDSIGHT.has((second ?? '').toLowerCase()) && modal !== 'would' && !inevitable) {
        found.push(match('counterfactual', agentBefore(m.index)?.start ?? m.index, endOf(6)));
      } else if (beenCounterfactual(m[2], second)) {
        const agent = agentBefore(m.index);
        if (agent) found.push(match('counterfactual', agent.start, endOf(6)));
      }
      continue;
    }
    if (!isVerbParticiple(first, second)) continue;
    // "we could have noticed it way later": a worse outcome avoided, not a judgment.
    if (WORSE_OUTCOME.test(text.slice(m.index + m[0].length).split(/[.;!?]/)[0] ?? '')) continue;
    const agent = agentBefore(m.index);
    if (!agent) continue;
    // "not assume we could have started it faster": a belief reported, not a judgment made.
    if (BELIEF_BEFORE.test(text.slice(Math.max(0, agent.start - 30), agent.start))) continue;
    const clause = text.slice(m.index + m[0].length).split(/[,.;:!?]|\bbut\b/)[0] ?? '';
    const counterfactualModal =
      modal === 'should' ||
      modal === 'ought to' ||
      (modal === 'could' &&
        (HINDSIGHT_VERBS.has(first) ||
          /^(?:just|simply|easily)$/.test(adverb) ||
          SOONER.test(`${second ?? ''} ${clause}`))) ||
      (modal === 'would' && HINDSIGHT_VERBS.has(first));
    if (counterfactualModal) found.push(match('counterfactual', agent.start, endOf(5)));
  }

  // "if Bob had read", "had they checked": a condition on what a person did.
  const conditional = (start: number, had: RegExpExecArray | null, offset: number): void => {
    const first = had?.[2];
    if (!had || !first) return;
    const second = had[3];
    const word = first.toLowerCase();
    if (word === 'been' ? !beenCounterfactual(had[1], second) : !isVerbParticiple(first, second)) return;
    if (ADJECTIVAL_PARTICIPLES.has(word) && second === undefined) return;
    found.push(match('counterfactual', start, offset + (had.indices?.[2]?.[1] ?? had[0].length)));
  };
  for (const m of text.matchAll(IF_SUBJECT)) {
    const agent = spanStartingAt(who.agents(), m.index + m[0].length);
    if (agent) conditional(m.index, HAD_AFTER_SUBJECT.exec(text.slice(agent.end)), agent.end);
  }
  for (const m of text.matchAll(INVERTED_HAD)) {
    const agent = spanStartingAt(who.agents(), m.index + m[0].length);
    const hadStart = m.index + m[0].toLowerCase().lastIndexOf('had');
    if (agent) conditional(hadStart, PARTICIPLE_AFTER_INVERTED.exec(text.slice(agent.end)), agent.end);
  }
  return found;
};

const hindsight: Detector = ({ text, who, question }) => {
  if (question) return [];
  const found: RawMatch[] = [];
  for (const m of text.matchAll(JUST_NEEDED)) {
    const agent = subjectBefore(text, who.agents(), m.index);
    if (agent) found.push(match('hindsight', agent.start, m.index + m[0].length));
  }
  for (const pattern of [ALL_THEY_HAD, MATTER_OF, WAS_OBVIOUS, SIMPLY_FAILED]) {
    for (const m of text.matchAll(pattern)) found.push(match('hindsight', m.index, m.index + m[0].length));
  }
  if (!PLAN.test(text)) {
    for (const m of text.matchAll(OBVIOUSLY)) {
      const end = m.index + m[0].length;
      const rest = text.slice(end);
      if (/^\s+(?:not|no)\b/i.test(rest)) continue;
      // "obviously painful for customers": an intensifier of impact, not a claim that anything was foreseeable.
      if (IMPACT_AFTER.test(rest)) continue;
      // "were very obviously crafted for …": describing a thing, not judging a person.
      if (
        /\b(?:was|were|is|are|been|be)\s+(?:\w+\s+){0,3}$/i.test(text.slice(0, m.index)) &&
        /^\s+\w+ed\b/i.test(rest)
      ) {
        continue;
      }
      found.push(match('hindsight', m.index, end));
    }
    for (const m of text.matchAll(CLEARLY)) {
      const end = m.index + m[0].length;
      const initial = /^\W*$/.test(text.slice(0, m.index)) && /^\s*,/.test(text.slice(end));
      if (initial || CLEARLY_JUDGING.test(text.slice(end))) found.push(match('hindsight', m.index, end));
    }
  }
  for (const m of text.matchAll(FAILED_TO_NOTICE)) {
    const agent = subjectBefore(text, who.agents(), m.index);
    // People and teams get person-as-cause / team-blame for this; hindsight is for "we" and "they".
    if (!agent || who.people().includes(agent) || who.teams().includes(agent)) continue;
    found.push(match('hindsight', agent.start, m.index + m[0].length));
  }
  return found;
};

const DETECTORS: readonly (readonly [readonly RuleId[], Detector])[] = [
  [['human-error'], humanError],
  [['judgmental'], judgmental],
  [['root-cause'], rootCause],
  [['person-as-cause', 'team-blame'], blame],
  [['counterfactual'], counterfactual],
  [['hindsight'], hindsight],
];

/**
 * Runs the enabled rules over one sentence.
 *
 * @example
 * analyzeSentence('Bob forgot to renew it.', new Set(), new Set(['person-as-cause']));
 * // [{ ruleId: 'person-as-cause', start: 0, end: 10 }]
 */
export function analyzeSentence(text: string, knownPeople: KnownPeople, enabled: ReadonlySet<RuleId>): RawMatch[] {
  const sentence: Sentence = { text, who: new SentencePeople(text, knownPeople), question: QUESTION.test(text) };
  return DETECTORS.filter(([rules]) => rules.some((rule) => enabled.has(rule)))
    .flatMap(([, detect]) => detect(sentence))
    .filter((found) => enabled.has(found.ruleId));
}
