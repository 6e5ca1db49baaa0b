/**
 * Debrief's own lexicon for blame language: word lists and regular-expression sources shared by the detectors.
 * Everything here is lower case unless it says otherwise; detectors match case-insensitively.
 */

/** Escapes a literal for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `(?:a|b|c)` from a list of regular-expression sources, longest first so alternatives do not shadow each other. */
export function alternation(sources: readonly string[]): string {
  return `(?:${[...sources].sort((a, b) => b.length - a.length).join('|')})`;
}

/**
 * Capitalised words that name software, services, companies or calendar words, never people, even when compromise
 * knows them as names ("Jenkins", "Harper", "June"). Systems are the right subject of a failure sentence.
 */
export const NOT_PEOPLE: ReadonlySet<string> = new Set(
  (
    'kubernetes k8s flux terraform helm traefik prometheus grafana alertmanager redis kafka postgres postgresql ' +
    'mysql jenkins docker chia binder binderhub jupyter jupyterhub jupyterlab hub prow tide boskos cargo rustup rust ' +
    'heroku fastly cloudflare github gitlab slack discord keybase azure amazon google microsoft apple linux ubuntu ' +
    'debian node python ruby java nginx apache envoy istio consul vault nomad ansible puppet chef sentry datadog ' +
    'pagerduty opsgenie elastic elasticsearch kibana loki tempo thanos cortex argo spinnaker celery django rails ' +
    'react vercel netlify okta hellman kiam alcide coredns calico cilium karpenter harbor travis circle circleci ' +
    'netflix stripe twilio posthog clickhouse mongo mongodb cassandra etcd zookeeper rabbitmq sidekiq puma unicorn ' +
    'gunicorn varnish haproxy squid systemd windows chrome firefox safari android homebrew brew npm yarn pypi crates ' +
    'docs renovate dependabot copilot jira confluence zendesk statuspage cloudwatch stackdriver bigquery snowflake ' +
    'airflow spark hadoop flink nats pulsar memcached dynamo dynamodb lambda fargate ecs eks gke aks openshift rancher ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august ' +
    'september october november december christmas easter'
  ).split(/\s+/),
);

/** Collective or anonymous agents: subjects of counterfactuals, never "a person as the cause". */
export const PRONOUN_AGENT =
  String.raw`\b(?:we|i|you|they|someone|somebody|anyone|anybody|everyone|everybody|nobody|no one|no-one|` +
  String.raw`(?:the|our|their) (?:whole |entire )?team|(?:the )?responders|people)\b`;

/** He and she: in a postmortem they always stand for a person. */
export const PERSON_PRONOUN = String.raw`\b(?:he|she)\b`;

/** A role standing for a person: "the DBA", "the new hire", "an engineer", "one of our engineers". */
export const ROLE =
  String.raw`\b(?:the|an?|our|their|his|her|that|this|one of (?:the|our|their))\s+` +
  String.raw`(?:(?:new|junior|senior|same|other|primary|secondary|former|responsible|another|on-?call|oncall|backup|` +
  String.raw`lead|principal|staff|database|release|ops|support|platform|infra|infrastructure|backend|frontend|` +
  String.raw`devops|security|network|qa)\s+){0,3}` +
  String.raw`(?:dbas?|new hires?|hires?|interns?|engineers?|developers?|devs?|operators?|admins?|administrators?|` +
  String.raw`sysadmins?|sres?|on-?call(?:\s+(?:engineer|person|responder|developer|sre))?|oncall|contractors?|` +
  String.raw`reviewers?|authors?|employees?|team members?|staff members?|programmers?|technicians?|responders?|` +
  String.raw`maintainers?|release managers?|committers?|consultants?|person on call)` +
  String.raw`(?:\s+on[- ]call)?(?![\w-])(?!\s+(?:team|squad|rotation|schedule|channel)\b)` +
  String.raw`(?:\s+(?:on|from|in|of)\s+(?:the|our|their)\s+(?:[\w-]+\s+){1,2}team\b)?`;

/**
 * A single user as the subject of a sentence: "the user didn't think to scroll down". Only failure verbs make a user a
 * cause: a user who "failed to load the page" or "would have seen an error" is describing impact.
 */
export const USER =
  String.raw`\b(?:the|a|an|that|this|one)\s+(?:(?:new|same|affected|first|internal)\s+)?user(?![\w-])` +
  String.raw`(?!\s+(?:account|agent|base|data|interface|error|experience|id|name|session|table|record|request|profile|pool|group|role|space|story|journey|traffic|count|list)s?\b)`;

/** A role in the plural without a determiner, as the subject of a sentence: "Support engineers misdiagnosed …". */
export const BARE_ROLES =
  String.raw`(?<![\w-])(?:(?:new|junior|senior|on-?call|support|platform|infra|infrastructure|backend|frontend|ops|devops|database|security|network|qa|release|several|two|three|some|many|multiple)\s+)?` +
  String.raw`(?:engineers|developers|devs|operators|admins|administrators|sysadmins|sres|dbas|responders|reviewers|interns|contractors|maintainers)(?![\w-])` +
  String.raw`(?!\s+(?:team|squad|rotation|schedule|channel)\b)`;

const NOT_TEAM_THING = String.raw`(?![\w-])(?!\s+(?:members?|leads?|managers?|channel|calendar|meeting|room|rotation)\b)`;

/** A team after a determiner, matched case-insensitively: "the payments team", "The SRE team", "another team". */
export const TEAM =
  String.raw`(?:\b(?:the|our|their|that|this|other)\s+(?!whole\b|entire\b|same\b|incident\b|response\b)` +
  String.raw`(?:[\w&.-]+\s+){1,3}?(?:team|squad|department|org|organi[sz]ation)s?` +
  String.raw`|\b(?:another|the other|other) teams?)${NOT_TEAM_THING}`;

/** A team by its capitalised name, matched case-sensitively: "Platform team", "SRE team". */
export const NAMED_TEAM = String.raw`(?<![\w.-])[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)?\s+team${NOT_TEAM_THING}`;

/**
 * What may stand between a subject and its verb: adverbs and auxiliaries ("Bob, the on-call engineer, then
 * accidentally …"), a relative clause about the person ("Tom, who was on call, forgot …", "the engineer who ran the
 * migration forgot …") or a participle phrase ("the developer creating the pull request misjudged …"). Without
 * commas to close it, a clause holding "that" or "which" may end in another subject ("the engineer who reviewed the
 * change that broke it"), so it does not count.
 */
export const SUBJECT_GAP = new RegExp(
  String.raw`^(?:\s*,\s*who\s+[^,;:.!?]{1,80},\s*` +
    String.raw`|\s+who\s+(?:(?!(?:that|which|who)\b)[\w'-]+\s+){1,6}` +
    String.raw`|\s+(?!(?:during|including|following|according|regarding|concerning|pending|considering|excluding|nothing|something|anything|everything|morning|evening|string|thing)\b)[a-z]{2,}ing\s+(?:(?!(?:that|which|who)\b)[\w'-]+\s+){0,4}` +
    String.raw`|\s*,\s*|\s+)(?:(?:had|has|have|then|also|again|later|just|actually|once again|[a-z]+ly)\s+)*$`,
  'i',
);

/** Things one is expected to do: "did not check", "never escalated". Verbs of knowing or receiving stay out. */
const OBLIGATIONS: readonly (readonly [string, string])[] = [
  ['check', 'checked'],
  ['double-check', 'double-checked'],
  ['verify', 'verified'],
  ['test', 'tested'],
  ['review', 'reviewed'],
  ['read', 'read'],
  ['follow', 'followed'],
  ['update', 'updated'],
  ['renew', 'renewed'],
  ['notice', 'noticed'],
  ['escalate', 'escalated'],
  ['respond', 'responded'],
  ['acknowledge', 'acknowledged'],
  ['ack', 'acked'],
  ['roll back', 'rolled back'],
  ['page', 'paged'],
  ['run', 'ran'],
  ['wait', 'waited'],
  ['look', 'looked'],
  ['confirm', 'confirmed'],
  ['validate', 'validated'],
  ['monitor', 'monitored'],
  ['communicate', 'communicated'],
  ['tell', 'told'],
  ['inform', 'informed'],
  ['notify', 'notified'],
  ['report', 'reported'],
  ['document', 'documented'],
  ['realize', 'realized'],
  ['realise', 'realised'],
  ['consider', 'considered'],
  ['think', 'thought'],
  ['catch', 'caught'],
  ['ask', 'asked'],
  ['request', 'requested'],
  ['coordinate', 'coordinated'],
  ['back up', 'backed up'],
  ['apply', 'applied'],
  ['patch', 'patched'],
  ['rotate', 'rotated'],
  ['pay attention', 'paid attention'],
  ['heed', 'heeded'],
  ['investigate', 'investigated'],
  ['revert', 'reverted'],
  ['warn', 'warned'],
  ['announce', 'announced'],
  ['flag', 'flagged'],
];

const OBLIGATION_BASE = alternation(OBLIGATIONS.map(([base]) => base));
const OBLIGATION_PAST = alternation(OBLIGATIONS.map(([, past]) => past));

/**
 * Pages and alerts with the few words that count or place them: "the page", "the first three alerts", "all
 * critical warnings". Other words before the noun ("the stale health-check warnings") describe what a system
 * skipped, not a person's conduct.
 */
export const PAGE =
  String.raw`(?:(?:the|an?|all|both|several|multiple|many|numerous|those|these|its|their|his|her|every|each|repeated|` +
  String.raw`first|second|third|last|initial|next|subsequent|following|earlier|same|two|three|four|five|\d+|on-?call|` +
  String.raw`critical|urgent|high-urgency|p[1-3]|sev-?[1-3])\s+){0,3}(?:page|pages|alert|alerts|alarm|alarms|warning|warnings|pager|notifications?)\b`;

const BAD = String.raw`(?:bad|broken|faulty|buggy|wrong|incorrect|untested|invalid|bogus|breaking|unreviewed)`;

/**
 * Verb phrases that make their subject the author of a failure. A person, role, @handle or team right before one of
 * these is the finding; a system, a change or "we" before it is not.
 */
export const FAILURE_VERB = new RegExp(
  alternation([
    String.raw`\b(?:broke|caused|forgot|missed|neglected|overlooked|misconfigured|mis-configured|mistyped|misread|misjudged|misdiagnosed|misidentified|misinterpreted|mishandled|botched|typo'd|fat-fingered)\b`,
    String.raw`\bleft (?:the |a |an |our |their )?(?:[\w-]+ ){1,3}(?:enabled|disabled|on|off|open|running|unlocked|exposed|unpatched|misconfigured|behind)\b`,
    String.raw`\bfailed to (?!(?:reproduce|find|locate|reach|contact|connect|log ?in|access|get|obtain|receive|see any)\b)[a-z-]+`,
    String.raw`\b(?:accidentally|mistakenly|inadvertently|erroneously|incorrectly|wrongly|unintentionally|unknowingly) [a-z-]+`,
    String.raw`\b(?:deleted|dropped|removed|wiped|truncated|destroyed|overwrote) (?:the |a |an |all |our )?(?:production|prod|live|wrong|primary|customer|customers'|entire|whole|critical)\b`,
    String.raw`\b(?:pushed|deployed|merged|shipped|approved|committed|released|applied|introduced|rolled out) (?:a |an |the |some )?${BAD}`,
    String.raw`\bintroduced (?:a |an |the )?(?:[\w-]+ ){0,2}(?:bug|regression|defect|typo|error|breaking change)\b`,
    String.raw`\bmade (?:a |an |the )?(?:mistake|error|typo|blunder|wrong (?:call|change|decision))\b`,
    String.raw`\b(?:did not|didn't|didnt|did never) (?:[a-z]+ly )?${OBLIGATION_BASE}\b`,
    String.raw`\bnever (?:[a-z]+ly )?${OBLIGATION_PAST}\b`,
    String.raw`\b(?:is|was|were|are) (?:to blame|at fault|responsible for (?:the|this) (?:outage|incident|failure|breakage|downtime|disruption)(?! (?:response|review|comms|communication|command|postmortem)))`,
    String.raw`\bskipped (?:the )?(?:code )?(?:review|tests?|checks?|steps?|runbook|checklist|canary|staging)\b`,
    String.raw`\bbypassed\b`,
    String.raw`\bdisabled (?:the )?(?:alert|alerts|alerting|monitoring|checks?|tests?|protection|safeguards?|validation)\b`,
    String.raw`\b(?:ran|executed) (?:a |an |the )?(?:[a-z-]+ ){0,2}(?:command|script|query|migration)s? (?:against|on|in) (?:the )?(?:production|prod|wrong|live)\b`,
    String.raw`\b(?:took|brought) down\b`,
    // "approved the PR without reading the diff": the omission is the failure, whatever the verb before it.
    String.raw`\b(?:approved|merged|deployed|pushed|shipped|released|promoted|applied|ran|executed|restarted|deleted|dropped|changed|edited|modified|updated|upgraded|rolled out)(?: [\w.#@/'-]+){0,5}? without (?:first |even |properly |actually |ever )?(?:reading|checking|testing|reviewing|verifying|validating|double-checking|looking at|consulting|a review|any review|review|tests|a test)\b`,
  ]),
  'gi',
);

/** A person's or team's thing that was the cause: "Alice's mistake", "@sam's change broke …". */
export const FAULT_NOUN = String.raw`(?:mistake|error|fault|oversight|typo|negligence|carelessness|screw-?up|blunder)s?`;
export const CHANGE_NOUN =
  String.raw`(?:change|commit|pr|pull request|deploy|deployment|push|config|configuration|config change|script|` +
  String.raw`migration|edit|command|merge|release|patch)s?`;

/** "caused by", "due to": what precedes a cause. */
export const CAUSED_BY =
  /\b(?:(?:caused|triggered|broken|introduced|started|brought down|taken down)|(?:(?:bad|broken|faulty|wrong|incorrect|careless|untested|botched)\s+(?:push|change|commit|deploy|deployment|merge|config|migration|edit|command|release))|(?:mistake|error|typo|oversight|slip|blunder)s?(?:\s+made)?) by\s+/gi;
export const DUE_TO =
  /\b(?:due to|because of|owing to|as a result of|the result of|blamed? (?:it )?on|the fault of)\s+/gi;

/** Participles that read as adjectives before a noun in plans: "we should have dedicated nodes". */
export const ADJECTIVAL_PARTICIPLES: ReadonlySet<string> = new Set(
  (
    'dedicated automated limited detailed documented scheduled improved updated expanded separated isolated defined ' +
    'centralized centralised structured managed enhanced advanced extended integrated unified standardized ' +
    'standardised versioned pinned signed reserved distributed shared written tested established agreed ' +
    'designated assigned required recommended approved trusted protected'
  ).split(/\s+/),
);

const IRREGULAR_PARTICIPLES: ReadonlySet<string> = new Set(
  (
    'been done gone known seen caught taken run made sent set put read left kept held built brought thought told ' +
    'found got gotten had hit let lost meant paid shut spent split spread stood struck understood written broken ' +
    'chosen driven forgotten given hidden ridden spoken stolen woken begun drunk rung swum shown grown drawn thrown ' +
    'flown blown worn torn sworn fallen eaten beaten bitten proven rewritten overseen foreseen undone redone cut ' +
    'shed quit upset bet cast hurt burst fed led bred fled sped dealt felt heard slept swept wept won spun stuck ' +
    'dug hung rolled'
  ).split(/\s+/),
);

const NOT_PARTICIPLES: ReadonlySet<string> = new Set(
  'need seed feed speed bed red shed open even often when then seven ten token screen green garden kitchen'.split(' '),
);

/** Determiners, pronouns and particles: after one, an `-ed` word is a verb, not an adjective. */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'the a an this that these those it its them him her his their our my your me us all any some every each ' +
    'to in on at by for with from into onto up down out off back over about before after earlier sooner first ' +
    'more harder properly earlier again instead there here too also sooner'
  ).split(/\s+/),
);

/**
 * Whether `word` is a past participle used as a verb after "have": "checked the logs" yes, "dedicated nodes" no.
 */
export function isVerbParticiple(word: string, next: string | undefined): boolean {
  const lower = word.toLowerCase();
  if (NOT_PARTICIPLES.has(lower)) return false;
  const participle = IRREGULAR_PARTICIPLES.has(lower) || /^[a-z-]{2,}(?:ed|en|wn|ne|ght)$/.test(lower);
  if (!participle) return false;
  if (ADJECTIVAL_PARTICIPLES.has(lower) && next !== undefined && !FUNCTION_WORDS.has(next.toLowerCase())) return false;
  return true;
}

/** What hindsight says one "could have" or "would have" done: see, know, stop. */
export const HINDSIGHT_VERBS: ReadonlySet<string> = new Set(
  (
    'prevented avoided caught noticed detected spotted stopped known realized realised seen checked verified ' +
    'validated double-checked read looked asked escalated paged foreseen anticipated predicted'
  ).split(/\s+/),
);

/** "…should have been caught": the passive forms of hindsight. */
export const PASSIVE_HINDSIGHT: ReadonlySet<string> = new Set(
  (
    'avoided prevented caught noticed detected spotted stopped foreseen anticipated tested reviewed checked verified ' +
    'validated escalated rushed addressed communicated reverted merged approved shipped'
  ).split(' '),
);

/** "…should have been more careful": being some way is also a counterfactual about a person. */
export const BEEN_MORE =
  /^(?:more|better|faster|quicker|careful|aware|vigilant|attentive|watching|monitoring|paying|looking|checking|alert)$/i;
