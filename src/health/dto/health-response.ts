import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** GET /api/health: the process is up. */
export class HealthResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

class DependencyStatus {
  @ApiProperty({ enum: ['up'] })
  status: 'up';
}

class Dependencies {
  @ApiProperty({ type: DependencyStatus })
  database: DependencyStatus;

  @ApiPropertyOptional({ type: DependencyStatus, description: 'Only when REDIS_URL is set' })
  redis?: DependencyStatus;
}

/** GET /api/health/ready: every dependency answered (a down one is a 503 in the error shape). */
export class ReadinessResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @ApiProperty({ type: Dependencies })
  info: Dependencies;

  @ApiProperty({ type: 'object', description: 'Always empty in a 200', properties: {} })
  error: Record<string, never>;

  @ApiProperty({ type: Dependencies })
  details: Dependencies;
}
