import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics of CONTRACT.md's `/metrics`, on a registry of their
 * own (so tests and several apps in one process do not collide). Labels are
 * bounded: endpoint names, status codes, outcomes and operation names that
 * pass `operationLabel`.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly graphqlOperations = new Counter({
    name: 'kraken_graphql_operations_total',
    help: 'GraphQL operations by name and outcome (ok, or the first error code)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'kraken_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly upstreamCalls = new Counter({
    name: 'kraken_upstream_requests_total',
    help: 'Calls to Kraken by endpoint and HTTP status (error when no answer came)',
    labelNames: ['endpoint', 'status'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'kraken_upstream_request_duration_seconds',
    help: 'Time to Kraken answer headers, by endpoint',
    labelNames: ['endpoint'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'kraken_upstream_retries_total',
    help: 'Retries of idempotent Kraken reads',
    registers: [this.registry],
  });

  readonly circuitState = new Gauge({
    name: 'kraken_upstream_circuit_open',
    help: '1 while the circuit breaker in front of Kraken is open or half-open',
    registers: [this.registry],
  });

  readonly tokenSignings = new Counter({
    name: 'kraken_api_token_signings_total',
    help: 'ES512 API tokens signed by this instance',
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'kraken_cache_lookups_total',
    help: 'Read cache lookups by kind and result',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  readonly webhooks = new Counter({
    name: 'kraken_webhooks_total',
    help: 'Webhook deliveries by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly subscriptions = new Gauge({
    name: 'kraken_graphql_subscriptions_open',
    help: 'GraphQL subscriptions currently open',
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'kraken_rate_limited_total',
    help: 'Requests refused by a rate limit, by route',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

/** Most distinct operation names tracked; the rest count as `other`. */
const MAX_OPERATION_NAMES = 200;

/**
 * Operation names come from clients, so they are checked and capped before
 * they become label values.
 */
export function operationLabeller(): (name: string | null | undefined) => string {
  const seen = new Set<string>();

  return (name) => {
    if (!name) return 'anonymous';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
    if (!seen.has(name) && seen.size >= MAX_OPERATION_NAMES) return 'other';
    seen.add(name);
    return name;
  };
}
