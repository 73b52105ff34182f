import { ApiTags } from '@nestjs/swagger';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import type { AuthUser } from 'src/auth/auth-user';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { ReturnsNothing, ReturnsPage } from 'src/docs/api-response.decorator';
import { SessionIdParamDto } from 'src/sessions/dto/session-id-param.dto';
import { SessionResponse } from 'src/sessions/dto/session-response';
import { SESSION_NOT_FOUND, SessionsService } from 'src/sessions/sessions.service';

/** The caller's own sessions; another user's session id is 404 like a missing one. */
@ApiTags('sessions')
@ApiAuth()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ReturnsPage(SessionResponse, { id: 'listSessions', summary: 'The caller’s active sessions' })
  list(@CurrentUser() user: AuthUser, @Query() query: PaginationQueryDto): Promise<Page<SessionResponse>> {
    return this.sessions.listActive(user.id, user.sessionId, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ReturnsNothing({
    id: 'revokeSession',
    summary: 'Revoke one of the caller’s sessions',
    errors: [{ status: 404, messages: [SESSION_NOT_FOUND] }],
  })
  revoke(@CurrentUser() user: AuthUser, @Param() { id }: SessionIdParamDto): Promise<void> {
    return this.sessions.revokeOwn(user, id);
  }
}
