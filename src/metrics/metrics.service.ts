import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** Login outcomes counted by `auth_logins_total`. */
export type LoginOutcome = 'succeeded' | 'failed' | 'throttled';

/** What the bcrypt work queue reports when scraped (FairConcurrencyLimit#stats). */
export interface WorkQueueState {
  running: number;
  queued: number;
  /** Work refused since start, by the bound it hit (client, username, backlog). */
  refused: Record<string, number>;
}

/** Seconds; from 1 ms (a cached read) to 10 s (a login stuck behind a queue of hashes). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/**
 * Metrics of the process (CPU, memory, GC, event-loop delay): one set per process, since
 * prom-client's collectors start timers and observers that are never stopped.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The application's Prometheus metrics (prom-client), in a registry of its own per
 * application instance, plus the process's. Features count their events here; gauges
 * read their sources when scraped, so nothing is computed between scrapes.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  /** Counted in the same Fastify hook as the latency, by route pattern (never the raw URL). */
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly logins = new Counter({
    name: 'auth_logins_total',
    help: 'Login attempts by outcome: succeeded, failed (bad credentials), throttled (refused by a limit)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly refreshReuse = new Counter({
    name: 'auth_refresh_reuse_detected_total',
    help: 'Spent refresh tokens presented again (each revokes its session)',
    registers: [this.registry],
  });

  readonly sessionCache = new Counter({
    name: 'session_cache_lookups_total',
    help: 'Session lookups of authenticated requests: hit (from memory) or miss (read from the database)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private bcryptSource: () => WorkQueueState = () => ({ running: 0, queued: 0, refused: {} });

  constructor(@Optional() @InjectDataSource() private readonly dataSource?: DataSource) {
    // collect() runs with the gauge as `this`; these reach the service.
    const bcrypt = () => this.bcryptSource();
    const pool = () => this.pool();
    new Gauge({
      name: 'bcrypt_operations_in_flight',
      help: 'bcrypt hashes and comparisons running on the thread pool',
      registers: [this.registry],
      collect() {
        this.set(bcrypt().running);
      },
    });
    new Gauge({
      name: 'bcrypt_operations_queued',
      help: 'bcrypt hashes and comparisons waiting for a slot',
      registers: [this.registry],
      collect() {
        this.set(bcrypt().queued);
      },
    });
    new Counter({
      name: 'bcrypt_work_refused_total',
      help: 'Password checks and hashes refused by a bound: client or username (429), backlog (503)',
      labelNames: ['bound'] as const,
      registers: [this.registry],
      collect() {
        // The queue keeps the totals; a counter only ever reports them.
        this.reset();
        for (const [bound, count] of Object.entries(bcrypt().refused)) this.inc({ bound }, count);
      },
    });
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database connections: total open, idle, and queries waiting for one (the PostgreSQL pool; SQLite: total, its one connection)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        for (const [state, value] of Object.entries(pool())) this.set({ state }, value);
      },
    });
  }

  /** The bcrypt work queue reports through this (PasswordService). */
  observeBcrypt(source: () => WorkQueueState): void {
    this.bcryptSource = source;
  }

  contentType(): string {
    return this.registry.contentType;
  }

  async scrape(): Promise<string> {
    const [app, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return app + process;
  }

  /** PostgreSQL: pg's pool. SQLite: TypeORM's one connection. None before the database is set up. */
  private pool(): Record<string, number> {
    const source = this.dataSource;
    if (!source?.isInitialized) return {};
    if (source.driver.options.type === 'postgres') {
      const pool = (source.driver as unknown as { master: Pool }).master;
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    }
    return { total: 1 };
  }
}
