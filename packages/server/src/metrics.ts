/** A small Prometheus registry: counters, gauges and one latency histogram, text format 0.0.4. */
type Labels = Record<string, string>;

const key = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
    .join(',');

class Counter {
  readonly values = new Map<string, number>();
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
}

const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Histogram {
  readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  observe(labels: Labels, seconds: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { counts: buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    buckets.forEach((b, i) => {
      if (seconds <= b) s.counts[i]! += 1;
    });
    s.sum += seconds;
    s.count += 1;
  }
}

export class Metrics {
  readonly httpDuration = new Histogram();
  readonly tokens = new Counter();
  readonly errors = new Counter();
  readonly runsFinished = new Counter();
  activeRuns: () => number = () => 0;
  wsConnections: () => number = () => 0;

  render(): string {
    const lines: string[] = [];
    const counter = (name: string, help: string, c: Counter) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of c.values) lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
    };
    const gauge = (name: string, help: string, value: number) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
    };
    lines.push(
      '# HELP aura_http_request_duration_seconds HTTP request latency',
      '# TYPE aura_http_request_duration_seconds histogram',
    );
    for (const [labels, s] of this.httpDuration.series) {
      const prefix = labels ? `${labels},` : '';
      for (const [i, b] of buckets.entries()) {
        lines.push(`aura_http_request_duration_seconds_bucket{${prefix}le="${b}"} ${s.counts[i]}`);
      }
      lines.push(`aura_http_request_duration_seconds_bucket{${prefix}le="+Inf"} ${s.count}`);
      lines.push(
        `aura_http_request_duration_seconds_sum{${labels}} ${s.sum}`,
        `aura_http_request_duration_seconds_count{${labels}} ${s.count}`,
      );
    }
    gauge('aura_active_runs', 'Agent runs in progress', this.activeRuns());
    gauge('aura_websocket_connections', 'Open WebSocket connections', this.wsConnections());
    counter('aura_runs_finished_total', 'Agent runs finished, by status', this.runsFinished);
    counter('aura_tokens_total', 'Model tokens used, by direction', this.tokens);
    counter('aura_errors_total', 'Errors, by kind', this.errors);
    return `${lines.join('\n')}\n`;
  }
}
