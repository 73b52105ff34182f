import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthUser } from 'src/auth/auth-user';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { CreateTokenDto } from 'src/tokens/dto/create-token.dto';
import { TokenIdParamDto } from 'src/tokens/dto/token-id-param.dto';
import { CreatedPersonalAccessTokenResponse, PersonalAccessTokenResponse } from 'src/tokens/dto/token-response.dto';
import { TOKEN_NOT_FOUND, TOO_MANY_TOKENS, TokensService } from 'src/tokens/tokens.service';
import { Returns, ReturnsNothing, ReturnsPage } from 'src/docs/api-response.decorator';

/**
 * Personal access tokens, managed with a session's access token only: no route
 * here declares scopes, so a personal access token can never manage tokens.
 */
@ApiTags('tokens')
@ApiAuth()
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /** Creates a token; the answer holds its secret, shown this once. */
  @Post()
  @Returns(CreatedPersonalAccessTokenResponse, {
    id: 'createToken',
    summary: 'Create a personal access token (its secret is in this answer only)',
    status: 201,
    errors: [403, { status: 409, messages: [TOO_MANY_TOKENS] }],
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateTokenDto): Promise<CreatedPersonalAccessTokenResponse> {
    return this.tokens.create(user, dto);
  }

  /** The caller's live tokens (never their secrets), with their last use. */
  @Get()
  @ReturnsPage(PersonalAccessTokenResponse, { id: 'listTokens', summary: 'The caller’s live personal access tokens' })
  list(@CurrentUser() user: AuthUser, @Query() query: PaginationQueryDto): Promise<Page<PersonalAccessTokenResponse>> {
    return this.tokens.listActive(user.id, query);
  }

  /** Revokes one of the caller's tokens, or anyone's for an admin; takes effect on the next request. */
  @Delete(':id')
  @HttpCode(204)
  @ReturnsNothing({
    id: 'revokeToken',
    summary: 'Revoke a personal access token (the caller’s, or anyone’s for an admin)',
    errors: [{ status: 404, messages: [TOKEN_NOT_FOUND] }],
  })
  revoke(@CurrentUser() user: AuthUser, @Param() { id }: TokenIdParamDto): Promise<void> {
    return this.tokens.revoke(user, id);
  }
}
