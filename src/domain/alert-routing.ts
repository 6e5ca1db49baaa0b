/**
 * Alert routing and alert dedupe, as pure functions: which incoming alert opens an incident, which only attaches to
 * one, which is only recorded; and whether a delivery of an alert Debrief already knows changes anything.
 */
import { validationError } from './errors.js';
import type { Severity } from './types.js';

export const ROUTING_ACTIONS = ['declare', 'attach', 'ignore'] as const;
/**
 * `declare`: open an incident, unless an open one of the alert's group or service exists (then attach to it);
 * `attach`: only attach to such an open incident; `ignore`: record the alert, never touch an incident.
 */
export type RoutingAction = (typeof ROUTING_ACTIONS)[number];

/**
 * What a rule or maintenance window matches. Every given part must match; an empty match matches every alert.
 * Label values are exact, or a regular expression between slashes (`/5\d\d/`), anchored at both ends like
 * Prometheus matchers; a missing label reads as the empty string.
 */
export interface AlertMatch {
  labels?: Record<string, string> | undefined;
  /** Alert severity words (`critical`, `warning`, `P1`), compared case-insensitively. */
  severity?: string[] | undefined;
  service?: string[] | undefined;
  source?: string[] | undefined;
}

export interface RoutingRule {
  /** `settings:<index>` for rules from the settings file, the database id otherwise. */
  id: string;
  name: string;
  match: AlertMatch;
  action: RoutingAction;
  /** Severity of the incident a `declare` opens; the default severity when absent. */
  severity?: Severity | null | undefined;
  /** Route to this service instead of the alert's own. */
  service?: string | null | undefined;
}

export interface MaintenanceWindowSpec {
  id: string;
  /** Null: any service. */
  service: string | null;
  labels: Record<string, string>;
  /** Inclusive. */
  startsAt: string;
  /** Exclusive. */
  endsAt: string;
}

/** The facts about one alert delivery that routing looks at. */
export interface AlertFacts {
  source: string;
  kind: 'alert' | 'page';
  /** `firing` / `resolved` for alerts; `triggered` / `acknowledged` / `resolved` for pages. */
  status: string | null;
  severity: string | null;
  service: string | null;
  labels: Record<string, string>;
  /** When the alert started (`startsAt`), or when the page happened. */
  at: string;
}

export interface RoutingDecision {
  action: RoutingAction;
  /** Severity for a declaration. */
  severity: Severity;
  /** Service to declare for or attach by. */
  service: string | null;
  /** Name of the rule that decided, or null for the default rule. */
  rule: string | null;
  /** Id of the maintenance window that turned a declaration into an attach, or null. */
  suppressedBy: string | null;
}

type ValueMatcher = (value: string) => boolean;

export interface CompiledMatch {
  labels: [string, ValueMatcher][];
  severity: Set<string> | null;
  service: Set<string> | null;
  source: Set<string> | null;
}

export interface CompiledRule extends RoutingRule {
  compiled: CompiledMatch;
}

export interface CompiledWindow extends MaintenanceWindowSpec {
  compiled: [string, ValueMatcher][];
}

const REGEX_VALUE = /^\/(.*)\/(i?)$/s;

/**
 * Compiles one label matcher value: exact text, or `/regex/` (optionally `/regex/i`) anchored at both ends.
 *
 * @example
 * labelMatcher('/5\\d\\d/', 'match.labels.code')('503'); // true
 * @throws DebriefError DEBRIEF_ERR_VALIDATION naming `field` when the regular expression does not compile.
 */
export function labelMatcher(value: string, field: string): ValueMatcher {
  const regex = REGEX_VALUE.exec(value);
  if (!regex) return (actual) => actual === value;
  try {
    const re = new RegExp(`^(?:${regex[1] ?? ''})$`, regex[2] === 'i' ? 'iu' : 'u');
    return (actual) => re.test(actual);
  } catch (error) {
    throw validationError(field, `is not a valid regular expression: ${(error as Error).message}`);
  }
}

const lowerSet = (values: string[] | undefined): Set<string> | null =>
  values === undefined || values.length === 0 ? null : new Set(values.map((v) => v.toLowerCase()));

const exactSet = (values: string[] | undefined): Set<string> | null =>
  values === undefined || values.length === 0 ? null : new Set(values);

/**
 * Compiles a match once, so routing a storm of alerts does not recompile regular expressions per alert.
 *
 * @example
 * compileMatch({ labels: { team: '/pay(ments)?/' }, severity: ['critical'] }, 'match');
 * @throws DebriefError DEBRIEF_ERR_VALIDATION naming the label (`match.labels.team`; `labels.team` when `field` is
 *   empty) whose regular expression is invalid.
 */
export function compileMatch(match: AlertMatch, field = ''): CompiledMatch {
  const prefix = field === '' ? 'labels' : `${field}.labels`;
  return {
    labels: Object.entries(match.labels ?? {}).map(([name, value]) => [name, labelMatcher(value, `${prefix}.${name}`)]),
    severity: lowerSet(match.severity),
    service: exactSet(match.service),
    source: exactSet(match.source),
  };
}

function labelsMatch(matchers: [string, ValueMatcher][], labels: Record<string, string>): boolean {
  return matchers.every(([name, matches]) => matches(labels[name] ?? ''));
}

/**
 * Whether an alert satisfies a compiled match.
 *
 * @example
 * matchesAlert(compileMatch({ severity: ['CRITICAL'] }, 'match'), alert); // true for severity "critical"
 */
export function matchesAlert(match: CompiledMatch, alert: AlertFacts): boolean {
  if (match.source && !match.source.has(alert.source)) return false;
  if (match.severity && !match.severity.has((alert.severity ?? '').toLowerCase())) return false;
  if (match.service && !match.service.has(alert.service ?? '')) return false;
  return labelsMatch(match.labels, alert.labels);
}

/**
 * Compiles rules in order; `field` names where they came from, for error messages.
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION naming e.g. `rules[2].match.labels.team`.
 */
export function compileRules(rules: readonly RoutingRule[], field = 'rules'): CompiledRule[] {
  return rules.map((rule, i) => ({ ...rule, compiled: compileMatch(rule.match, `${field}[${i}].match`) }));
}

/** @throws DebriefError DEBRIEF_ERR_VALIDATION naming e.g. `labels.env` when a regex is invalid. */
export function compileWindow(window: MaintenanceWindowSpec): CompiledWindow {
  return {
    ...window,
    compiled: Object.entries(window.labels).map(([name, value]) => [name, labelMatcher(value, `labels.${name}`)]),
  };
}

/** An alert that is over (resolved) never opens an incident. */
const isActive = (alert: AlertFacts): boolean => alert.status !== 'resolved';

/**
 * The default rule's test: an alert of severity `critical` or `page` (any case), or a PagerDuty page that was
 * triggered, is worth an incident.
 *
 * @example
 * isPageWorthy({ kind: 'alert', severity: 'Critical', status: 'firing', ... }); // true
 */
export function isPageWorthy(alert: AlertFacts): boolean {
  if (!isActive(alert)) return false;
  if (alert.kind === 'page' && alert.status === 'triggered') return true;
  const severity = (alert.severity ?? '').toLowerCase();
  return severity === 'critical' || severity === 'page';
}

/**
 * The first maintenance window covering the alert: the alert started inside the window (`startsAt` inclusive,
 * `endsAt` exclusive), the window's service is the routed service (or the window names none), and its label
 * matchers all match.
 */
export function coveringWindow(
  alert: AlertFacts,
  service: string | null,
  windows: readonly CompiledWindow[],
): CompiledWindow | null {
  const at = Date.parse(alert.at);
  for (const window of windows) {
    if (at < Date.parse(window.startsAt) || at >= Date.parse(window.endsAt)) continue;
    if (window.service !== null && window.service !== service && window.service !== alert.service) continue;
    if (!labelsMatch(window.compiled, alert.labels)) continue;
    return window;
  }
  return null;
}

/**
 * Routes one alert: the first matching rule decides (settings-file rules first, then database rules by position);
 * without a match, a page-worthy alert ({@link isPageWorthy}) declares at the default severity and anything else
 * attaches. A resolved alert never declares, and a maintenance window covering the alert turns a declaration into
 * an attach, naming the window in `suppressedBy`.
 *
 * @example
 * routeAlert(criticalCheckoutAlert, [], [], { defaultSeverity: 'SEV2' });
 * // { action: 'declare', severity: 'SEV2', service: 'checkout', rule: null, suppressedBy: null }
 */
export function routeAlert(
  alert: AlertFacts,
  rules: readonly CompiledRule[],
  windows: readonly CompiledWindow[],
  options: { defaultSeverity: Severity },
): RoutingDecision {
  const rule = rules.find((r) => matchesAlert(r.compiled, alert));
  const decision: RoutingDecision = rule
    ? {
        action: rule.action,
        severity: rule.severity ?? options.defaultSeverity,
        service: rule.service ?? alert.service,
        rule: rule.name,
        suppressedBy: null,
      }
    : {
        action: isPageWorthy(alert) ? 'declare' : 'attach',
        severity: options.defaultSeverity,
        service: alert.service,
        rule: null,
        suppressedBy: null,
      };
  if (decision.action !== 'declare') return decision;
  if (!isActive(alert)) return { ...decision, action: 'attach' };
  const window = coveringWindow(alert, decision.service, windows);
  return window ? { ...decision, action: 'attach', suppressedBy: window.id } : decision;
}

/** What Debrief knows about an alert identity. */
export interface SignalState {
  status: string;
  /** Start of the current episode: the alert's `startsAt`, or the page's first time. */
  startsAt: string;
  endsAt: string | null;
}

/** One delivery of that identity. */
export interface IncomingState {
  status: string;
  /** The alert's `startsAt`; absent for pages, which have no episode start of their own. */
  startsAt?: string | undefined;
  /** The event's time. */
  at: string;
}

/**
 * - `new`: first delivery of this identity; record and route it.
 * - `refire`: a new episode (a later `startsAt`, or a page re-triggered after it resolved); route it again.
 * - `transition`: the same episode moved on (firing → resolved, triggered → acknowledged → resolved).
 * - `repeat`: the same state again (Alertmanager's `repeat_interval`, a retried delivery); changes nothing.
 * - `stale`: older than what is known (a delayed delivery); changes nothing.
 */
export type DeliveryOutcome = 'new' | 'refire' | 'transition' | 'repeat' | 'stale';

const STATE_RANK: Readonly<Record<string, number>> = {
  firing: 0,
  triggered: 0,
  acknowledged: 1,
  resolved: 2,
};

/**
 * Classifies a delivery against the known state, so that duplicates and out-of-order deliveries change nothing:
 * alert episodes are ordered by `startsAt`, and inside one episode a state only moves forward
 * (a `firing` that arrives after its own `resolved` is stale).
 *
 * @example
 * classifyDelivery({ status: 'firing', startsAt: T1, endsAt: null }, { status: 'resolved', startsAt: T1, at: T2 });
 * // 'transition'
 */
export function classifyDelivery(current: SignalState | null, incoming: IncomingState): DeliveryOutcome {
  if (current === null) return 'new';
  if (incoming.startsAt !== undefined) {
    const known = Date.parse(current.startsAt);
    const start = Date.parse(incoming.startsAt);
    if (start > known) return 'refire';
    if (start < known) return 'stale';
  } else if (
    current.status === 'resolved' &&
    incoming.status !== 'resolved' &&
    current.endsAt !== null &&
    Date.parse(incoming.at) > Date.parse(current.endsAt)
  ) {
    return 'refire';
  }
  const from = STATE_RANK[current.status] ?? 0;
  const to = STATE_RANK[incoming.status] ?? 0;
  if (to === from) return 'repeat';
  return to > from ? 'transition' : 'stale';
}
