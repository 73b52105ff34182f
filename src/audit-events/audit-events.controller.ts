import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditEventsService } from 'src/audit/audit-events.service';
import { AuditEventQueryDto, SecurityEventQueryDto } from 'src/audit/dto/audit-event-query.dto';
import { AuditEventResponse } from 'src/audit/dto/audit-event-response.dto';
import type { AuthUser } from 'src/auth/auth-user';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Roles } from 'src/auth/decorators/roles.decorator';
import { Page } from 'src/common/dto/pagination-query.dto';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { ReturnsPage } from 'src/docs/api-response.decorator';
import { Role } from 'src/auth/role.enum';

/** Stored security events: everyone's for admins, the caller's own for everyone. */
@ApiTags('audit')
@ApiAuth()
@Controller()
export class AuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  /** Security events of every user, newest first; filter by `user_id`, `type`, `since`, `until`. */
  @Get('audit-events')
  @Roles([Role.Admin])
  @ReturnsPage(AuditEventResponse, {
    id: 'listAuditEvents',
    summary: 'Security events of every user, newest first (admin)',
    errors: [403],
  })
  list(@Query() query: AuditEventQueryDto): Promise<Page<AuditEventResponse>> {
    return this.events.list(query);
  }

  /** The caller's own security events (logins, sessions, tokens), newest first. */
  @Get('me/security-events')
  @ReturnsPage(AuditEventResponse, {
    id: 'listSecurityEvents',
    summary: 'The caller’s own security events, newest first',
  })
  mine(@CurrentUser() user: AuthUser, @Query() query: SecurityEventQueryDto): Promise<Page<AuditEventResponse>> {
    return this.events.list(query, user.id);
  }
}
