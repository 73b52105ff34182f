import { ApiTags } from '@nestjs/swagger';
import { Controller, Get } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from 'src/auth/decorators/public.decorator';
import { Returns } from 'src/docs/api-response.decorator';
import { HealthResponse, ReadinessResponse } from 'src/health/dto/health-response';
import { DATABASE_DOWN, HealthService } from 'src/health/health.service';

/** Probes for load balancers and orchestrators: open to anyone, no secrets in the answers. */
@Public()
@SkipThrottle()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Returns(HealthResponse, { id: 'getHealth', summary: 'Liveness: the process is up' })
  live(): HealthResponse {
    return this.health.live();
  }

  @Get('ready')
  @Returns(ReadinessResponse, {
    id: 'getReadiness',
    summary: 'Readiness: the database answers',
    errors: [{ status: 503, messages: [DATABASE_DOWN] }],
  })
  ready(): Promise<ReadinessResponse> {
    return this.health.ready();
  }
}
