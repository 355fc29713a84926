// Shared test setup: fixed region and dummy credentials so no test ever reaches a real AWS account.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
// The house logger (functions/adapters/observability.ts) writes errors only: tests assert behaviour, not log lines.
process.env.LOG_LEVEL ??= 'ERROR';
// The SDK warns that releases after early January 2027 need Node 22; versions are pinned by the lockfile
// (see README), so the warning is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// Metrics are emitted as CloudWatch EMF lines on stdout; tests assert behaviour, not those lines.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
