/**
 * Whether an impact statement is quantified: "who, how long, how much" in numbers, not "some users were affected".
 */
import { stripPrompts } from './sections.js';

const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|dozens?|a dozen|several hundred|several thousand';
/**
 * A number: digits with separators and a decimal part, an optional k/M/B suffix, or a number word. It must start a
 * run of digits, which also keeps matching linear on long digit runs.
 */
const NUMBER = `(?<![\\d.,])(?:\\d{1,3}(?:[,\\u202f ]\\d{3})+|\\d{1,15})(?:\\.\\d{1,6})?(?:\\s?[kKmMbB](?![a-zA-Z]))?|\\b(?:${NUMBER_WORDS})\\b`;

const PERCENT = new RegExp(`(?<![\\d.])\\d{1,15}(?:\\.\\d{1,6})?\\s?(?:%|(?:percent|per cent|pct)\\b)`, 'i');

const DURATION_UNITS = 'ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|wks?|weeks?|months?';
const DURATION = new RegExp(`(?:^|[^\\w:.-])(?:${NUMBER})\\s?(?:${DURATION_UNITS})\\b`, 'i');

const COUNT_NOUNS = [
  'users?',
  'customers?',
  'clients?',
  'accounts?',
  'tenants?',
  'organi[sz]ations?',
  'orgs?',
  'projects?',
  'sites?',
  'visitors?',
  'members?',
  'people',
  'players?',
  'devices?',
  'requests?',
  'calls?',
  'api calls?',
  'queries',
  'query',
  'orders?',
  'payments?',
  'transactions?',
  'checkouts?',
  'bookings?',
  'purchases?',
  'sessions?',
  'logins?',
  'sign[- ]?ins?',
  'sign[- ]?ups?',
  'messages?',
  'emails?',
  'notifications?',
  'jobs?',
  'builds?',
  'deployments?',
  'events?',
  'records?',
  'rows?',
  'files?',
  'downloads?',
  'uploads?',
  'pages?',
  'tickets?',
  'support tickets?',
  'regions?',
  'hosts?',
  'nodes?',
  'pods?',
  'servers?',
  'instances?',
  'clusters?',
  'repositories',
  'repos?',
  'packages?',
  'crates?',
  'failed requests?',
  'failures?',
  'timeouts?',
];
/** A count of things, allowing up to two words between the number and the noun ("1,200 paying customers"). */
const COUNT = new RegExp(
  `(?:^|[^\\w:.#/-])(?:${NUMBER})(?:\\s+[\\p{L}-]+){0,2}?\\s+(?:${COUNT_NOUNS.join('|')})\\b`,
  'iu',
);
const RATE = new RegExp(`(?:${NUMBER})\\s?(?:rps|qps|tps|req/s|requests?/s(?:ec)?|per (?:second|minute|hour))\\b`, 'i');
const MONEY = /[$€£¥]\s?\d|\b\d[\d,.]{0,20}\s?(?:usd|eur|gbp|dollars|euros|pounds)\b/i;
const RATIO = /\b\d[\d,]{0,20}\s+(?:of|out of)\s+(?:the\s+)?\d/i;
/** An error budget or SLO figure: "error budget: 38% spent" is covered by PERCENT; "burned 2.5x" is a rate. */
const BURN = /\b\d{1,6}(?:\.\d{1,6})?\s?x\s+(?:burn|the)\b/i;

/**
 * Whether `text` quantifies impact: a percentage, a duration, a count of users, requests, orders or the like, a
 * rate, an amount of money or a ratio ("3 of 12 regions"). Prompts (HTML comments) are ignored, so a template's
 * example never counts. Dates, clock times, versions and HTTP status codes are not quantities.
 *
 * @example
 * isImpactQuantified('About 12% of checkouts failed for 40 minutes.'); // true
 * isImpactQuantified('Some users saw errors on 2026-03-04 at 14:05 (HTTP 503).'); // false
 */
export function isImpactQuantified(text: string): boolean {
  const prose = stripPrompts(text)
    .replace(/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?/g, ' ')
    .replace(/\b\d{1,2}:\d{2}(?::\d{2})?\b/g, ' ')
    .replace(/\bv?\d+\.\d+\.\d+\S*/g, ' ')
    .replace(/\b(?:HTTP|status|code)\s+[1-5]\d\d\b/gi, ' ')
    .replace(/\b[1-5]\d\d\s+(?:errors?|responses?|status(?:es)?|codes?)\b/gi, ' ')
    .replace(/\bSEV\s?\d\b|\bINC-\d+\b|#\d+/gi, ' ');
  return [PERCENT, DURATION, COUNT, RATE, MONEY, RATIO, BURN].some((pattern) => pattern.test(prose));
}
