export * from './types.js';
export { alertFingerprint, parseAlertmanager } from './alertmanager.js';
export { parseGrafana } from './grafana.js';
export { parsePagerDuty, verifyPagerDutySignature } from './pagerduty.js';
export { parseGitHub, verifyGitHubSignature } from './github.js';
export { parseGitLab, verifyGitLabToken } from './gitlab.js';
export { changeEventSchema, parseChangeEvent, type ChangeEventInput } from './change.js';
export {
  OTLP_SEVERITIES,
  anyValue,
  isoFromNanos,
  otlpEvents,
  parseOtlp,
  parseOtlpLogs,
  parseOtlpTraces,
  type OtlpLogRecord,
  type OtlpSeverity,
  type OtlpSpan,
  type OtlpValue,
} from './otlp.js';
export { parseKubernetesEvents } from './kubernetes.js';
export { parseSlackExport, slackText, slackTsToIso } from './slack-export.js';
export { refVersion, toIsoTimestamp } from './common.js';
