/**
 * Business metrics in CloudWatch embedded metric format (EMF), sharing the logger's service name: one JSON line per
 * publish, with the `_aws` metadata CloudWatch turns into metrics (namespace from POWERTOOLS_METRICS_NAMESPACE,
 * dimension `service`). A house emitter instead of Powertools Metrics (issue 11 §1: bundle size and cold init); the
 * same calls (`addMetric`, `publishStoredMetrics`) and the same `POWERTOOLS_METRICS_DISABLED` switch.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const MetricUnit = { Count: 'Count', NoUnit: 'None', Milliseconds: 'Milliseconds', Seconds: 'Seconds' } as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** EMF allows at most 100 metrics per document. */
const MAX_METRICS = 100;

export class Metrics {
  private stored = new Map<string, { unit: MetricUnit; values: number[] }>();

  constructor(private readonly options: { serviceName: string; namespace: string }) {}

  addMetric(name: string, unit: MetricUnit, value: number): void {
    const entry = this.stored.get(name);
    if (entry) entry.values.push(value);
    else this.stored.set(name, { unit, values: [value] });
    if (this.stored.size >= MAX_METRICS) this.publishStoredMetrics();
  }

  /** The EMF document for the stored metrics (undefined when none), without writing it. */
  serialize(now = Date.now()): Record<string, unknown> | undefined {
    if (this.stored.size === 0) return undefined;
    const doc: Record<string, unknown> = {
      _aws: {
        Timestamp: now,
        CloudWatchMetrics: [{
          Namespace: this.options.namespace,
          Dimensions: [['service']],
          Metrics: [...this.stored].map(([Name, { unit }]) => ({ Name, Unit: unit })),
        }],
      },
      service: this.options.serviceName,
    };
    for (const [name, { values }] of this.stored) doc[name] = values.length === 1 ? values[0] : values;
    return doc;
  }

  publishStoredMetrics(): void {
    const doc = this.serialize();
    this.stored = new Map();
    if (!doc || process.env.POWERTOOLS_METRICS_DISABLED === 'true') return;
    process.stdout.write(`${JSON.stringify(doc)}\n`);
  }
}

export const metrics = new Metrics({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ace-filing',
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'AceFiling',
});
