import { ApiTags } from '@nestjs/swagger';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import type { AuthUser } from 'src/auth/auth-user';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { SessionIdParamDto } from 'src/sessions/dto/session-id-param.dto';
import { SessionsService } from 'src/sessions/sessions.service';

/** The caller's own sessions; another user's session id is 404 like a missing one. */
@ApiTags('sessions')
@ApiAuth()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: PaginationQueryDto) {
    return this.sessions.listActive(user.id, user.sessionId, query);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@CurrentUser() user: AuthUser, @Param() { id }: SessionIdParamDto) {
    return this.sessions.revokeOwn(user, id);
  }
}
