/**
 * What the demo's postmortem writers learned from each demo scenario: the contributing factors, what went well and
 * wrong, lessons and action items. Each story is written from its scenario's own facts (the change behind it, the
 * chat, the numbers drawn for the incident), in the blameless voice the lint asks for: systems and conditions, never
 * a person, as the cause.
 */
import type { ActionItemType } from '../domain/postmortem/types.js';
import type { Vars } from './demo.js';

/** The numbers and words of one incident that its story draws on. */
export interface StoryFacts {
  v: Vars;
  /** The incident channel's messages, in order, as the scenario wrote them. */
  chat: readonly string[];
  /** Whole minutes from impact start (the first signal for near misses) to detection, mitigation and resolution. */
  minutes: { detect: number; mitigate: number; resolve: number };
}

/** Contributing-factor categories by the labels the factors parser reads. */
export type FactorLabel =
  | 'Change'
  | 'Config'
  | 'Capacity'
  | 'Dependency'
  | 'Detection gap'
  | 'Process'
  | 'Hardware'
  | 'Time'
  | 'Security'
  | 'Data';

export interface StoryAction {
  text: string;
  type: ActionItemType;
  priority: 'P1' | 'P2' | 'P3';
  /** The owning team when it is not the team of the first impacted service. */
  team?: string;
}

export interface Story {
  /**
   * What the change behind the incident did, written to follow the change's name ("changed the default …"). Absent
   * when the changes the draft proposed turned out not to be factors (an outage elsewhere, an attack, a drill).
   */
  change?: (f: StoryFacts) => string;
  /** The other factors, so that each incident has two or three in all. */
  factors: (f: StoryFacts) => [FactorLabel, string][];
  /** Numbers that quantify the impact beyond the scenario's own impact line. */
  figures: (f: StoryFacts) => string[];
  /** A 5-whys chain for the main factor, written for the more severe incidents. */
  whys?: (f: StoryFacts) => string[];
  wentWell: (f: StoryFacts) => string[];
  wentWrong: (f: StoryFacts) => string[];
  lucky: (f: StoryFacts) => string[];
  lessons: (f: StoryFacts) => string[];
  actions: readonly StoryAction[];
  /**
   * The story quotes a value the redaction check flags (a vendor's public phone number, attack source ranges) that
   * reviewers keep in the internal version: the reason they give when waiving it.
   */
  keep?: string;
}

const num = (n: number): string => n.toLocaleString('en-US');
const pct = (v: Vars): number => Number(v.pct);

/** Stories by scenario title. */
export const STORIES: Readonly<Record<string, Story>> = {
  'Checkout 5xx spike after payments deploy': {
    change: () =>
      'changed the default timeout for calls to the card processor from 10 s to 1.5 s; authorisations slower than ' +
      'that were cancelled and reported to checkout as declines',
    factors: () => [
      [
        'Config',
        'The processor timeout had no explicit value in the payments production configuration, so a changed ' +
          'library default reached production without a diff anyone could review.',
      ],
      [
        'Detection gap',
        "The payments canary analysis compares only payments' own error rate; the failures surfaced one hop away, " +
          'as checkout 5xx, so the canary passed.',
      ],
    ],
    figures: ({ v }) => [
      `About ${num(Math.round(240 * v.impactMinutes * (pct(v) / 100)))} orders could not be placed ` +
        `(checkout takes about 240 orders a minute at that hour).`,
      `Support received 37 tickets about declined payments; 61% of the affected customers completed an order ` +
        `within the next hour.`,
    ],
    whys: ({ v }) => [
      `Why did orders fail? Payment authorisations were cancelled after 1.5 s and reported as declines.`,
      `Why after 1.5 s? The HTTP client library upgraded in ${v.version} lowered its default timeout.`,
      `Why did a default matter? The payments configuration relied on the default instead of setting a value.`,
      `Why was that not seen in review? The upgrade's diff showed only a version bump; defaults are not listed.`,
      `Why did the canary pass? It watches payments' own errors, and payments returned "declined", not errors.`,
    ],
    wentWell: ({ chat }) => [
      `The PaymentsAuthErrors alert pointed at payments a minute after the checkout alert fired.`,
      `The deploy was on the timeline next to the alerts, and the channel connected them quickly: "${chat[1] ?? ''}".`,
      `Rolling back was one command and took effect in under three minutes.`,
    ],
    wentWrong: ({ minutes }) => [
      `The release notes of the library upgrade did not mention the timeout change.`,
      `About ${Math.max(5, Math.round(minutes.mitigate / 3))} minutes went into ruling out the card processor ` +
        `before the rollback was started.`,
    ],
    lucky: () => [
      `The deploy went out before the evening peak, when order volume is about a third of its maximum.`,
      `Most customers retried, and their second attempt after the rollback succeeded.`,
    ],
    lessons: () => [
      `Dependency upgrades can change defaults we rely on: set the values that matter explicitly, and test them.`,
      `A canary has to watch the callers of a service, not only the service itself.`,
    ],
    actions: [
      {
        text: 'Set the processor timeout explicitly in the payments config and validate it at start-up',
        type: 'prevent',
        priority: 'P1',
      },
      { text: "Add checkout's error ratio to the payments canary analysis", type: 'detect', priority: 'P1' },
      {
        text: 'List changed defaults in the dependency-upgrade pull request template',
        type: 'process',
        priority: 'P2',
      },
    ],
  },

  'Search latency p99 above 2 s': {
    change: () =>
      'turned fuzzy matching on for every product query at once; a fuzzy query costs about six times the CPU of an ' +
      'exact one',
    factors: () => [
      [
        'Capacity',
        'The search data nodes ran at about 60% CPU at peak before the change, which left no room for a query type ' +
          'six times as expensive.',
      ],
      ['Process', 'The search.fuzzy-matching flag had no percentage rollout: it was on or off for all traffic.'],
    ],
    figures: () => [
      'About 4% of search requests timed out at the gateway.',
      'Search-to-cart conversion dropped by 9% during the impact window.',
    ],
    wentWell: ({ chat }) => [
      `The slow log identified the queries within minutes: "${chat[1] ?? ''}".`,
      `Turning the flag off needed no deploy and took effect in under a minute.`,
    ],
    wentWrong: () => [
      "The gateway's 10 s upstream timeout kept slow search requests open, so mobile clients gave up before the " +
        'gateway did.',
      'The search dashboard shows average latency on its first panel; the p99 panel is three screens down.',
    ],
    lucky: () => ['The change went live on a weekday morning, hours before the afternoon traffic peak.'],
    lessons: () => [
      'A flag that can only be on or off for everyone is a deploy by another name: ramp it.',
      'Expensive query features need a cost budget before they reach production traffic.',
    ],
    actions: [
      { text: 'Support percentage rollouts for search flags', type: 'prevent', priority: 'P2' },
      { text: 'Cap fuzzy queries at 1 s with a fallback to exact matching', type: 'prevent', priority: 'P1' },
      { text: 'Alert when search data node CPU stays above 85% for 10 minutes', type: 'detect', priority: 'P2' },
      { text: 'Load-test fuzzy matching at twice the peak before enabling it again', type: 'process', priority: 'P2' },
    ],
  },

  'Expired TLS certificate on api-gateway': {
    change: () =>
      'moved the gateway certificates to a ClusterIssuer whose ACME account had never been registered, so every ' +
      'renewal after the move failed',
    factors: () => [
      [
        'Detection gap',
        'No alert watched certificate expiry or cert-manager renewal failures; the first signal was the probes ' +
          'failing after the certificate had expired.',
      ],
      [
        'Process',
        'The issuer migration checklist covered issuing new certificates but not renewing the existing ones.',
      ],
    ],
    figures: ({ v }) => [
      `${v.pct}% of API requests failed at the worst point; the rest came from clients still holding a session ` +
        `from before the expiry.`,
      'About 2,300 mobile app sessions could not refresh and showed the offline screen.',
    ],
    whys: () => [
      'Why did clients fail? The certificate for api.example.com had expired.',
      'Why had it expired? cert-manager could not renew it after the issuer move.',
      'Why could it not renew? The new issuer referenced an ACME account that was never registered.',
      'Why was that not noticed for weeks? Renewal failures only appear in cert-manager logs, which nothing watches.',
      'Why does nothing watch them? Renewal was assumed to be automatic, so no alert was ever written for it.',
    ],
    wentWell: () => [
      'The probe alert fired from all three regions within minutes of the expiry.',
      'Issuing a certificate by hand was in the runbook and worked as written.',
    ],
    wentWrong: () => [
      "Renewals had failed for weeks, with errors only in cert-manager's logs.",
      'Some mobile clients backed off for up to 15 minutes after failed handshakes, which stretched recovery.',
    ],
    lucky: () => ['The certificate expired at 00:00 UTC, a quiet hour for most of our customers.'],
    lessons: () => [
      'Automation that can fail silently is a countdown: every renewal job needs an alert on failure, not only on success.',
    ],
    actions: [
      { text: 'Alert 21 days before any public certificate expires', type: 'detect', priority: 'P1' },
      { text: 'Alert on failed cert-manager CertificateRequests', type: 'detect', priority: 'P1' },
      {
        text: 'Add "renew an existing certificate" to the issuer migration checklist',
        type: 'process',
        priority: 'P2',
      },
    ],
  },

  'Notification queue backlog': {
    change: () =>
      'made the sender wait for full batches of 500 messages; at night-time volumes a batch took minutes to fill',
    factors: () => [
      ['Config', 'The batch size was tuned for peak load only, and no flush interval was set.'],
      [
        'Detection gap',
        'The backlog alert measures queue depth, not the age of the oldest message, so at low volume it fired late.',
      ],
    ],
    figures: () => ['About 3,100 password-reset emails were delayed by more than 10 minutes.'],
    wentWell: () => [
      'Consumers scaled from 4 to 12 in two minutes.',
      'The rollback drained the backlog at 3k messages a minute.',
    ],
    wentWrong: () => [
      'Password resets and order confirmations share one queue with marketing email and waited behind it.',
    ],
    lucky: () => ['The deploy went out in the evening, so the first hours of delay hit the quietest part of the day.'],
    lessons: () => ['Batching trades latency for throughput: bound both, with a size and a time limit.'],
    actions: [
      { text: 'Flush batches every 2 s or at 500 messages, whichever comes first', type: 'prevent', priority: 'P1' },
      { text: 'Alert when the oldest message is older than 5 minutes', type: 'detect', priority: 'P1' },
      { text: 'Move password resets and order emails to a priority queue', type: 'prevent', priority: 'P2' },
    ],
  },

  'Login failures for SSO users': {
    change: () =>
      'replaced the SAML signing certificate in one step; identity providers that had not imported the new metadata ' +
      'rejected every assertion',
    factors: () => [
      ['Dependency', '37 customer identity providers import our metadata by hand, on their own schedule.'],
      [
        'Process',
        'The rotation runbook had no overlap period and no notice to the customer identity-provider administrators.',
      ],
    ],
    figures: () => [
      'About 4,800 SSO sign-in attempts failed.',
      '41 support tickets were opened by enterprise administrators.',
    ],
    wentWell: ({ chat }) => [
      `Password logins kept working, which narrowed the search quickly: "${chat[0] ?? ''}".`,
      'The old certificate was still in the secrets store and could be restored as a secondary signing key.',
    ],
    wentWrong: () => [
      'The login-failure alert averages over all logins, so SSO failures were diluted by password logins.',
      'Support tickets arrived before the alert reached its threshold.',
    ],
    lucky: () => ['Most of the affected accounts are in time zones where it was outside working hours.'],
    lessons: () => [
      'Credentials that others must trust need an overlap window as long as the slowest party takes to update.',
    ],
    actions: [
      { text: 'Publish new SAML certificates 14 days before signing with them', type: 'process', priority: 'P1' },
      { text: 'Alert on the SSO failure ratio separately from password logins', type: 'detect', priority: 'P2' },
      { text: 'Offer customers an auto-refreshing metadata URL', type: 'prevent', priority: 'P3' },
    ],
  },

  'Card authorisations timing out at payment processor': {
    change: () =>
      'lowered the connection pool to the card processor from 200 to 20 connections; requests queued for a ' +
      'connection until they timed out',
    factors: () => [
      [
        'Config',
        "The pool size is set in two places (the Helm values and the service's own defaults) and the change updated " +
          'only one of them.',
      ],
      [
        'Detection gap',
        'No metric exposed the time spent waiting for a pool connection, so the timeouts looked like a slow processor.',
      ],
    ],
    figures: ({ v }) => [
      `About ${num(Math.round(180 * v.impactMinutes * (pct(v) / 100)))} card payments failed or were retried; ` +
        `checkout p99 latency reached ${v.p99} s.`,
    ],
    whys: () => [
      'Why did payments time out? Requests waited for one of 20 pooled connections.',
      'Why 20? The deploy changed the default pool size in the service, and production had no override.',
      'Why no override? The Helm values set the pool size under a key the service stopped reading two releases ago.',
      'Why was that not caught? Configuration keys are not validated: unknown keys are ignored silently.',
    ],
    wentWell: () => [
      "The processor's support desk, on +44 20 7946 0958, confirmed within ten minutes that nothing was wrong on " +
        'their side, which moved the investigation back to our side of the connection.',
      'The rollback restored the pool of 200 connections and the timeouts stopped within two minutes.',
    ],
    wentWrong: ({ chat }) => [
      `Attention stayed on the processor for the first part of the incident: "${chat[0] ?? ''}".`,
      'Pool metrics were not on the payments dashboard.',
    ],
    lucky: () => ['Checkout retries recovered about a third of the failed payments without customers noticing.'],
    lessons: () => [
      "A vendor's status page shows the vendor's view, not the path between us and them: check our side first.",
    ],
    actions: [
      {
        text: 'Read the pool size from one validated config value and fail start-up on unknown keys',
        type: 'prevent',
        priority: 'P1',
      },
      {
        text: 'Add pool wait time p99 to the payments dashboard and alert above 500 ms',
        type: 'detect',
        priority: 'P1',
      },
      {
        text: 'Runbook: check our connection pool before escalating to the processor',
        type: 'process',
        priority: 'P3',
      },
    ],
    keep: "The processor's published support number: the next on-call needs it, and the external version redacts it.",
  },

  'Search index stale after failed reindex job': {
    change: () =>
      'changed the mapping of the price field from float to scaled_float, and the nightly reindex then failed on ' +
      'a mapping conflict',
    factors: () => [
      [
        'Detection gap',
        "The reindex job's own failure did not alert; the freshness alert fired only once the index was hours behind.",
      ],
      [
        'Data',
        'Products created or repriced after the last good index were missing from results or showed old prices.',
      ],
    ],
    figures: () => ['About 2% of searches returned a stale price.'],
    wentWell: () => ["Pointing the products alias back to yesterday's index took one command."],
    wentWrong: ({ v }) => [
      `The job failed ${v.hours} hours before anyone was told, and every retry failed the same way.`,
      'The mapping change was reviewed as application code, not as a schema change.',
    ],
    lucky: () => ['No promotions were scheduled that day, so most stale prices matched the checkout price.'],
    lessons: () => ['Index mappings are schemas: changes to them need the same review and dry run as migrations.'],
    actions: [
      { text: 'Alert on any failed reindex job run', type: 'detect', priority: 'P1' },
      { text: 'Dry-run mapping changes against a snapshot in CI', type: 'prevent', priority: 'P2' },
      { text: 'Keep the last three indexes for quick alias rollback', type: 'mitigate', priority: 'P3' },
    ],
  },

  'Elevated 429s from api-gateway rate limiter': {
    change: () =>
      'introduced per-client rate limits keyed by client id, and every mobile app install shares one client id',
    factors: () => [
      [
        'Capacity',
        'The limit was derived from partner API traffic; mobile traffic through one client id is 40 times larger.',
      ],
      ['Process', 'The rollout plan tested the new limits against partner clients only.'],
    ],
    figures: () => ['About 31,000 mobile requests were rejected; 18% of the affected users retried within 5 minutes.'],
    wentWell: () => [
      'The RateLimitRejections alert fired within minutes.',
      'Raising the limit for one client id was a configuration change, live in two minutes.',
    ],
    wentWrong: () => ['The mobile app shows a generic error on 429 and ignores Retry-After.'],
    lucky: () => ['Web checkout keys its limits per session and was unaffected.'],
    lessons: () => ['New limits should run in shadow mode, counting what they would reject, before they enforce.'],
    actions: [
      { text: 'Run new rate limits in shadow mode for 7 days before enforcing', type: 'process', priority: 'P2' },
      { text: 'Honour Retry-After in the mobile app', type: 'mitigate', priority: 'P3', team: 'commerce' },
      { text: 'Alert on the 429 ratio per client id', type: 'detect', priority: 'P2' },
    ],
  },

  'Duplicate order confirmation emails': {
    change: () =>
      "retried sends when the provider's acceptance arrived after our 2 s timeout, without an idempotency key, so the " +
      'provider delivered every attempt',
    factors: () => [
      ['Dependency', "The provider's acceptance latency p99 is 2.5 s at busy hours, above our client timeout."],
      [
        'Detection gap',
        'The send-rate anomaly alert needs three times the daily baseline to fire, so the first reports came from support.',
      ],
    ],
    figures: () => ['About 41,000 duplicate emails went out; 212 customers contacted support.'],
    wentWell: () => ['The rollback stopped the duplicates immediately.'],
    wentWrong: ({ chat }) => [`The first signal came from customers: "${chat[0] ?? ''}".`],
    lucky: () => ['Only confirmations were affected; payment receipts use a different path.'],
    lessons: () => ['Retries without idempotency turn a slow answer into a duplicate action.'],
    actions: [
      { text: 'Raise the email provider client timeout to 10 s', type: 'prevent', priority: 'P2' },
      { text: 'Alert on repeated message ids per recipient', type: 'detect', priority: 'P3' },
    ],
  },

  'Token refresh errors on the mobile app': {
    change: () =>
      'added an audience check that rejected refresh tokens issued before the deploy, which carry no audience claim',
    factors: () => [
      ['Data', 'About 40% of active mobile sessions held refresh tokens issued by earlier releases.'],
      ['Process', 'Integration tests create fresh tokens, so no test used a token issued by an earlier release.'],
    ],
    figures: () => ['About 9,000 mobile users were signed out and had to sign in again.'],
    wentWell: () => ['Rolling back auth restored refreshes within minutes.'],
    wentWrong: () => ['The auth canary used synthetic users whose tokens were all fresh.'],
    lucky: () => ['Web sessions use cookies with a different check and were unaffected.'],
    lessons: () => ['Token format changes need a grace period as long as the longest-lived token.'],
    actions: [
      { text: 'Test fixtures with tokens issued by the previous release', type: 'prevent', priority: 'P2' },
      { text: 'Staged rollout for auth deploys (5%, 25%, 100%)', type: 'process', priority: 'P2' },
      { text: 'Alert on refresh error ratio per client', type: 'detect', priority: 'P3' },
    ],
  },

  'Checkout latency regression after schema migration': {
    change: () => 'dropped the orders_customer_id_created_at index, which the order history query still used',
    factors: () => [
      [
        'Process',
        'The migration review searched the code for the index name, but the query planner picks indexes that no ' +
          'code names.',
      ],
      ['Detection gap', 'No alert watches sequential scans on large tables.'],
    ],
    figures: () => ['Order history pages took up to 9 s to load; checkout conversion dipped by 3%.'],
    wentWell: ({ chat }) => [`The query plan showed the cause quickly: "${chat[0] ?? ''}".`],
    wentWrong: () => ['Recreating the index concurrently on 80 million rows took most of the mitigation time.'],
    lucky: () => ['The orders table was small enough that the rebuild finished before the evening peak.'],
    lessons: () => ['Drop indexes in two steps: stop using them, watch usage statistics for a week, then drop.'],
    actions: [
      { text: 'Check index usage statistics before any migration drops an index', type: 'prevent', priority: 'P2' },
      { text: 'Alert on sequential scans of tables above 1 million rows', type: 'detect', priority: 'P3' },
    ],
  },

  'Checkout pods restarting from a memory leak': {
    change: () => 'added a cart cache without a size bound or expiry',
    factors: () => [
      [
        'Detection gap',
        'Memory growth was visible on the dashboard for an hour before the first restart; no alert watches it.',
      ],
      ['Capacity', 'Checkout pods have a 1 GiB memory limit with little headroom above their steady state.'],
    ],
    figures: ({ v }) => [
      `${v.pct}% of checkout requests failed during the ${v.impactMinutes} minutes of restarts.`,
      'About 600 carts were lost and had to be filled again.',
    ],
    wentWell: () => ['The crash-loop alert fired on the second restart.'],
    wentWrong: () => ['Carts live only in pod memory between saves, so every restart lost some of them.'],
    lucky: () => ['The leak grew slowly enough that pods restarted one at a time, never all at once.'],
    lessons: () => ['Every cache needs a bound; an unbounded cache is a memory leak with good intentions.'],
    actions: [
      { text: 'Alert when pod memory grows steadily for 30 minutes', type: 'detect', priority: 'P2' },
      { text: 'Soak test checkout for 2 hours before release', type: 'process', priority: 'P3' },
    ],
  },

  'SMS delivery delayed by provider outage': {
    factors: ({ minutes }) => [
      ['Dependency', 'The primary SMS provider had an outage on its EU routes.'],
      [
        'Process',
        `Failover to the secondary provider was manual and took ${minutes.mitigate} minutes, although the secondary ` +
          'was already configured.',
      ],
    ],
    figures: () => ['About 6,500 sign-in codes arrived late or not at all.'],
    wentWell: ({ chat }) => [
      `The recent deploy was ruled out quickly and correctly: "${chat[1] ?? ''}".`,
      "The provider's status page confirmed the outage early.",
    ],
    wentWrong: () => ['Sign-in codes have no fallback channel, so some users could not sign in at all.'],
    lucky: () => ['The secondary provider had capacity for all our traffic at short notice.'],
    lessons: () => ['A configured fallback that needs a person to switch it on is a runbook step, not a failover.'],
    actions: [
      { text: 'Alert when SMS provider errors exceed 5% for 3 minutes', type: 'detect', priority: 'P2' },
      { text: 'Offer email as a fallback for sign-in codes', type: 'mitigate', priority: 'P3', team: 'platform' },
      { text: 'Run an SMS failover drill every quarter', type: 'process', priority: 'P3' },
    ],
  },

  'Leaked partner API key in a public repository': {
    factors: () => [
      ['Security', 'Example configuration in a public repository was copied from a working setup and kept a live key.'],
      ['Process', 'Pushes to public repositories were not scanned for secrets.'],
    ],
    figures: () => ['The key was public for about 19 hours; it allowed reading order data of one partner.'],
    wentWell: () => ['The key was revoked and replaced within 40 minutes of the report.'],
    wentWrong: () => ['The exposure was reported by an external scanner, not by our own tooling.'],
    lucky: () => ['The key could only read one partner’s data and nobody used it.'],
    lessons: () => ['Examples are copied: they must hold placeholders, never working values.'],
    actions: [
      { text: 'Scope partner keys to one partner and expire them after 90 days', type: 'prevent', priority: 'P2' },
      { text: 'Lint example files for real-looking keys in CI', type: 'detect', priority: 'P3' },
    ],
  },

  'Credential stuffing against the login endpoint': {
    factors: () => [
      ['Security', 'Passwords reused from breaches of other sites let 212 logins succeed.'],
      [
        'Config',
        'The login rate limit counted attempts per address only; the attack rotated through 1.2k residential proxies.',
      ],
    ],
    figures: () => ['212 accounts were accessed over 3 hours; 0 payment methods were changed.'],
    wentWell: () => [
      'The login-failure spike alert fired within minutes.',
      'The gateway blocklist took the two busiest source ranges (203.0.113.0/24 and 198.51.100.0/24) within 20 minutes.',
    ],
    wentWrong: () => ['No alert fires on successful logins after many failures from the same network.'],
    lucky: () => ['The attackers did not try to change payment methods on the accessed accounts.'],
    lessons: () => ['Limits per address do not stop distributed attacks; limit per account as well.'],
    actions: [
      { text: 'Check passwords against known breach lists at login', type: 'prevent', priority: 'P1' },
      { text: 'Rate-limit login attempts per account', type: 'prevent', priority: 'P1' },
      { text: 'Alert on successful logins after repeated failures', type: 'detect', priority: 'P2' },
    ],
    keep: 'Attack source ranges, needed for the gateway blocklist review; the external version redacts them.',
  },

  'Suspicious admin session from an unknown network': {
    factors: () => [
      ['Process', 'Travel by people with admin access is not known to the security on-call rota.'],
      ['Security', 'Admin sessions were protected by password and TOTP only.'],
    ],
    figures: () => ['The session lasted 26 minutes; 0 records were changed.'],
    wentWell: () => ['The anomaly alert fired on the first request from the new network.'],
    wentWrong: () => ['Confirming the session was legitimate needed a phone call.'],
    lucky: () => ['It was legitimate travel.'],
    lessons: () => ['Alerts on admin access need enough context to be confirmed without a phone call.'],
    actions: [
      { text: 'Add device and location details to admin session alerts', type: 'detect', priority: 'P3' },
      { text: 'Travel notice form for people with admin access', type: 'process', priority: 'P3' },
    ],
  },

  'Near miss: search data nodes at 92% disk': {
    change: () => 'turned on query logging without a retention policy; the logs grew 40 GB a day',
    factors: () => [['Capacity', 'Disk was sized for the indexes with 30% headroom, not for logs.']],
    figures: () => ['Elasticsearch stops writing at 95%, about 20 hours away at that growth rate.'],
    wentWell: () => ['The 90% disk alert gave about a day of warning.'],
    wentWrong: () => ['The logging change did not say how long the logs would be kept.'],
    lucky: () => ['The growth was linear; a traffic spike would have halved the warning time.'],
    lessons: () => ['Every new log stream needs a retention policy before it ships.'],
    actions: [
      { text: 'Forecast disk usage and alert 3 days before 90%', type: 'detect', priority: 'P2' },
      { text: 'Require a retention policy for new log indexes in review', type: 'process', priority: 'P3' },
    ],
  },

  'Near miss: api-gateway certificate 3 days from expiry': {
    change: () => 'upgraded cert-manager; its webhook kept the old serving certificate, so renewals were rejected',
    factors: () => [
      ['Detection gap', 'Renewal failures were not alerted on; the expiry alert was the only safety net.'],
    ],
    figures: () => ['0 requests were affected; renewals had been failing for 27 days.'],
    wentWell: () => ['The CertificateExpiringSoon alert fired with three days to spare.'],
    wentWrong: () => ['Renewal failures were only visible in the cert-manager logs.'],
    lucky: () => ['The alert threshold had been raised to 3 days only a month earlier.'],
    lessons: () => ['Upgrades of the tools that renew credentials need a renewal test afterwards.'],
    actions: [
      { text: 'Alert on failed certificate renewals', type: 'detect', priority: 'P1' },
      { text: 'Run a test renewal in staging after every cert-manager upgrade', type: 'process', priority: 'P2' },
    ],
  },

  'Game day: payments database failover': {
    factors: ({ chat }) => [
      [
        'Config',
        `Connection pool health checks run every 10 s, so writes kept going to the old primary: "${chat[0] ?? ''}".`,
      ],
      ['Process', 'Runbook step 4 links a dashboard that was removed.'],
    ],
    figures: () => ['Of the 48 s of failed writes, 41 s went to the promotion and 7 s to the pool noticing it.'],
    wentWell: () => ['The replica was promoted automatically, within the 60 s target.'],
    wentWrong: () => ['The runbook sent responders to a dashboard that no longer exists.'],
    lucky: () => ['We found both problems in staging, not in production.'],
    lessons: () => ['Runbooks decay; exercising them is the only way to know they still work.'],
    actions: [
      { text: 'Lower the pool health check interval to 2 s', type: 'prevent', priority: 'P2' },
      { text: 'Fix the dashboard link in runbook step 4', type: 'process', priority: 'P2' },
      { text: 'Repeat the failover game day in a production maintenance window', type: 'process', priority: 'P3' },
    ],
  },

  'Tabletop: api-gateway region outage': {
    factors: () => [
      [
        'Detection gap',
        'No alert watches the regional traffic share, so losing a region would go unnoticed for about 8 minutes.',
      ],
      ['Detection gap', 'The health checks behind DNS failover are not monitored themselves.'],
    ],
    figures: () => ['Simulated: 50% of API traffic would fail for about 8 minutes before anyone is paged.'],
    wentWell: ({ chat }) => [`The DNS failover steps worked as written: "${chat[1] ?? ''}".`],
    wentWrong: () => ['Nobody in the room knew who owns the DNS health checks.'],
    lucky: () => ['It was a tabletop exercise.'],
    lessons: () => ['What we do not alert on, we find out about from customers.'],
    actions: [
      { text: 'Alert when a region’s share of traffic drops by half', type: 'detect', priority: 'P1' },
      { text: 'Monitor the DNS failover health checks', type: 'detect', priority: 'P2' },
    ],
  },
};
