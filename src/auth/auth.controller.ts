import { ApiTags } from '@nestjs/swagger';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { Body, Controller, Get, HttpCode, Patch, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import type { AuthUser } from 'src/auth/auth-user';
import { AuthService } from 'src/auth/auth.service';
import { Client } from 'src/auth/client-info.decorator';
import { ChangePasswordDto } from 'src/auth/dto/change-password.dto';
import { LoginDto } from 'src/auth/dto/login.dto';
import { RegisterDto } from 'src/auth/dto/register.dto';
import type { RefreshPrincipal } from 'src/auth/strategies/jwt-refresh.strategy';
import { TokenTransportInterceptor } from 'src/auth/token-transport.interceptor';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Public } from 'src/auth/decorators/public.decorator';
import { JwtRefreshGuard } from 'src/auth/guards/jwt-auth.guard';
import { AnyScope } from 'src/auth/decorators/scopes.decorator';
import { AuditedThrottlerGuard } from 'src/throttling/audited-throttler.guard';
import type { ClientInfo } from 'src/sessions/sessions.service';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(AuditedThrottlerGuard)
  @Post('register')
  register(@Body() dto: RegisterDto, @Client() client: ClientInfo) {
    return this.auth.register(dto, client);
  }

  @Public()
  @UseGuards(AuditedThrottlerGuard)
  @Post('login')
  // Token answers become the body or cookies; only these routes pay for the interceptor.
  @UseInterceptors(TokenTransportInterceptor)
  @HttpCode(200)
  login(@Body() dto: LoginDto, @Client() client: ClientInfo) {
    return this.auth.login(dto, client);
  }

  @Public()
  @ApiAuth()
  // The rate limit first: it must count requests whose token is refused too.
  @UseGuards(AuditedThrottlerGuard, JwtRefreshGuard)
  @Post('refresh')
  @UseInterceptors(TokenTransportInterceptor)
  @HttpCode(200)
  refresh(@CurrentUser() principal: RefreshPrincipal) {
    return this.auth.refresh(principal);
  }

  @ApiAuth()
  @Post('logout')
  @UseInterceptors(TokenTransportInterceptor)
  @HttpCode(204)
  logout(@CurrentUser() user: AuthUser) {
    return this.auth.logout(user);
  }

  @ApiAuth()
  @AnyScope()
  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return this.auth.me(user);
  }

  @ApiAuth()
  @Patch('me/password')
  @UseInterceptors(TokenTransportInterceptor)
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto) {
    return this.auth.changePassword(user, dto);
  }
}
