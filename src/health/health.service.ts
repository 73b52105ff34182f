import { HttpException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import Redis from 'ioredis';
import { Outages } from 'src/common/dependencies/outages';
import { DatabaseConnection } from 'src/database/database-connection';
import { REDIS } from 'src/throttling/redis.provider';
import { HealthResponse, ReadinessResponse } from 'src/health/dto/health-response';

export const DATABASE_DOWN = 'Database is not reachable';
export const REDIS_DOWN = 'Redis is not reachable';
/** How long readiness waits for the database before calling it down. */
export const READY_TIMEOUT_MS = 2_000;

const DOWN_MESSAGE: Record<string, string> = { database: DATABASE_DOWN, redis: REDIS_DOWN };

@Injectable()
export class HealthService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseConnection,
    private readonly outages: Outages,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  /** The process is up and serving. */
  live(): HealthResponse {
    return { status: 'ok' };
  }

  /**
   * The database (and Redis, when REDIS_URL is set) answers within the timeout;
   * else 503 in the contract's error shape, naming what is down.
   */
  async ready(): Promise<ReadinessResponse> {
    const checks: HealthIndicatorFunction[] = [() => this.databaseCheck()];
    const redis = this.redis;
    if (redis) checks.push(() => this.redisCheck(redis));
    try {
      await this.health.check(checks);
    } catch (error) {
      const failed = error instanceof HttpException ? (error.getResponse() as { error?: object }).error : undefined;
      const down = Object.keys(failed ?? { database: true });
      for (const name of down) {
        if ((name === 'database' && this.database.ready) || name === 'redis') {
          this.outages.failed(name, new Error('readiness check failed'));
        }
      }
      throw new ServiceUnavailableException(down.map((name) => DOWN_MESSAGE[name] ?? name).join('; '));
    }
    const up = { status: 'up' as const };
    const dependencies = { database: up, ...(redis ? { redis: up } : {}) };
    return { status: 'ok', info: dependencies, error: {}, details: dependencies };
  }

  private async databaseCheck() {
    // Still being opened at start-up (DatabaseConnection retries): down, without a query.
    if (!this.database.ready) return this.indicators.check('database').down({ message: 'starting' });
    const result = await this.db.pingCheck('database', { timeout: READY_TIMEOUT_MS });
    if (result.database?.status === 'up') this.outages.recovered('database');
    return result;
  }

  private async redisCheck(redis: Redis) {
    const indicator = this.indicators.check('redis');
    try {
      // Bounded by REDIS_TIMEOUT_MS; fails at once while disconnected.
      await redis.ping();
    } catch {
      return indicator.down();
    }
    this.outages.recovered('redis');
    return indicator.up();
  }
}
