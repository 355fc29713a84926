/**
 * Intake's two counts, WorksheetsAccepted and WorksheetReplays, are read from the one log line intake writes per
 * accepted worksheet (functions/http/intake.ts) by CloudWatch Logs metric filters on its log group
 * (lib/constructs/api.ts), not emitted by a metrics library: issue 11 §1, Powertools Metrics was ~13 KB of the intake
 * bundle for one count per request. On Lambda's JSON log format the line is
 * `{"timestamp":…,"level":"INFO","requestId":…,"message":{"msg":"Worksheet accepted","replayed":false,…}}`
 * (functions/adapters/observability.ts), so the filters match `$.message.msg` and `$.message.replayed`.
 */
export const WORKSHEET_ACCEPTED_LOG = 'Worksheet accepted';

/** Metric name by the line's `replayed` value (namespace: the house's, lib/constructs/house-function.ts). */
export const INTAKE_COUNTS = [
  { metricName: 'WorksheetsAccepted', replayed: false },
  { metricName: 'WorksheetReplays', replayed: true },
] as const;
