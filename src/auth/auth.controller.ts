import { ApiTags } from '@nestjs/swagger';
import { ApiAuth, ApiRefreshAuth } from 'src/docs/api-auth.decorator';
import { Body, Controller, Get, HttpCode, Patch, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import type { AuthUser } from 'src/auth/auth-user';
import { ROLE_NOT_ALLOWED, SAME_PASSWORD, AuthService } from 'src/auth/auth.service';
import { Client } from 'src/auth/client-info.decorator';
import { ChangePasswordDto } from 'src/auth/dto/change-password.dto';
import { LoginDto } from 'src/auth/dto/login.dto';
import { RegisterDto } from 'src/auth/dto/register.dto';
import { CookieTokenResponse, TokenResponse } from 'src/auth/dto/token-response';
import { EndedSession, IssuedTokens } from 'src/auth/issued-tokens';
import type { RefreshPrincipal } from 'src/auth/strategies/jwt-refresh.strategy';
import { TokenMessage } from 'src/auth/guards/token-errors';
import { TokenTransportInterceptor } from 'src/auth/token-transport.interceptor';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Public } from 'src/auth/decorators/public.decorator';
import { JwtRefreshGuard } from 'src/auth/guards/jwt-auth.guard';
import { AnyScope } from 'src/auth/decorators/scopes.decorator';
import { Returns, ReturnsNothing, ReturnsOneOf } from 'src/docs/api-response.decorator';
import { AuditedThrottlerGuard } from 'src/throttling/audited-throttler.guard';
import type { ClientInfo } from 'src/sessions/sessions.service';
import { UserResponse } from 'src/users/dto/user-response';
import { USERNAME_TAKEN } from 'src/users/users.service';

const TOKEN_ANSWERS = [TokenResponse, CookieTokenResponse];
/** Cookie transport sets (or, on logout, clears) the access, refresh and CSRF cookies. */
const SET_COOKIE = {
  'Set-Cookie': {
    description: 'Cookie transport only: access_token and refresh_token (HttpOnly), csrf_token (readable by script)',
    schema: { type: 'string' as const },
  },
};

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(AuditedThrottlerGuard)
  @Post('register')
  @Returns(UserResponse, {
    id: 'register',
    summary: 'Sign up as a plain user',
    description: 'A `role` in the body is refused with 403: only admins assign roles (POST /api/users).',
    status: 201,
    errors: [
      { status: 403, messages: [ROLE_NOT_ALLOWED] },
      { status: 409, messages: [USERNAME_TAKEN] },
    ],
    rateLimited: true,
  })
  register(@Body() dto: RegisterDto, @Client() client: ClientInfo): Promise<UserResponse> {
    return this.auth.register(dto, client);
  }

  @Public()
  @UseGuards(AuditedThrottlerGuard)
  @Post('login')
  // Token answers become the body or cookies; only these routes pay for the interceptor.
  @UseInterceptors(TokenTransportInterceptor)
  @HttpCode(200)
  @ReturnsOneOf<IssuedTokens>(TOKEN_ANSWERS, {
    id: 'login',
    summary: 'Log in with username and password',
    description: 'Opens a session. With `use_cookies` the tokens travel in cookies and the body has none.',
    headers: SET_COOKIE,
    errors: [{ status: 401, messages: [TokenMessage.badCredentials] }],
    rateLimited: true,
  })
  login(@Body() dto: LoginDto, @Client() client: ClientInfo): Promise<IssuedTokens> {
    return this.auth.login(dto, client);
  }

  @Public()
  @ApiRefreshAuth()
  // The rate limit first: it must count requests whose token is refused too.
  @UseGuards(AuditedThrottlerGuard, JwtRefreshGuard)
  @Post('refresh')
  @UseInterceptors(TokenTransportInterceptor)
  @HttpCode(200)
  @ReturnsOneOf<IssuedTokens>(TOKEN_ANSWERS, {
    id: 'refresh',
    summary: 'Rotate the refresh token and get new tokens',
    description:
      'Takes the refresh token (bearer, or the refresh_token cookie). A refresh token already rotated revokes its session.',
    headers: SET_COOKIE,
    errors: [{ status: 401, messages: [TokenMessage.refreshOnly, TokenMessage.revoked, TokenMessage.expired] }],
    rateLimited: true,
  })
  refresh(@CurrentUser() principal: RefreshPrincipal): Promise<IssuedTokens> {
    return this.auth.refresh(principal);
  }

  @ApiAuth()
  @Post('logout')
  @UseInterceptors(TokenTransportInterceptor)
  @HttpCode(204)
  @ReturnsNothing<EndedSession>({
    id: 'logout',
    summary: 'End the current session',
    description: 'Revokes the session of the token; its tokens stop working on the next request.',
    headers: SET_COOKIE,
  })
  logout(@CurrentUser() user: AuthUser): Promise<EndedSession> {
    return this.auth.logout(user);
  }

  @ApiAuth()
  @AnyScope()
  @Get('me')
  @Returns(UserResponse, { id: 'getMe', summary: 'The caller' })
  me(@CurrentUser() user: AuthUser): UserResponse {
    return this.auth.me(user);
  }

  @ApiAuth()
  @Patch('me/password')
  @UseInterceptors(TokenTransportInterceptor)
  @ReturnsOneOf<IssuedTokens>(TOKEN_ANSWERS, {
    id: 'changePassword',
    summary: 'Change the caller’s password',
    description: 'Needs a fresh token (from a password login). Revokes every other session; returns new tokens.',
    headers: SET_COOKIE,
    errors: [
      { status: 400, messages: [[SAME_PASSWORD], ['new_password must be at least 8 characters']] },
      { status: 401, messages: [TokenMessage.fresh, TokenMessage.missingHeader, TokenMessage.revoked] },
      { status: 403, messages: [TokenMessage.badCredentials] },
      429,
    ],
  })
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<IssuedTokens> {
    return this.auth.changePassword(user, dto);
  }
}
