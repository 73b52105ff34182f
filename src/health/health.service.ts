import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { HealthResponse, ReadinessResponse } from 'src/health/dto/health-response';

export const DATABASE_DOWN = 'Database is not reachable';
/** How long readiness waits for the database before calling it down. */
export const READY_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  /** The process is up and serving. */
  live(): HealthResponse {
    return { status: 'ok' };
  }

  /** The database answers a ping within the timeout; else 503 in the contract's error shape. */
  async ready(): Promise<ReadinessResponse> {
    try {
      await this.health.check([() => this.db.pingCheck('database', { timeout: READY_TIMEOUT_MS })]);
    } catch {
      throw new ServiceUnavailableException(DATABASE_DOWN);
    }
    const up = { database: { status: 'up' as const } };
    return { status: 'ok', info: up, error: {}, details: up };
  }
}
