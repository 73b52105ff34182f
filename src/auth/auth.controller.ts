import { Body, Controller, Get, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { AuthUser } from 'src/auth/auth-user';
import { AuthService } from 'src/auth/auth.service';
import { Client } from 'src/auth/client-info.decorator';
import { LoginDto } from 'src/auth/dto/login.dto';
import { RegisterDto } from 'src/auth/dto/register.dto';
import { toTokenResponse } from 'src/auth/dto/token-response';
import type { RefreshClaims } from 'src/auth/token-claims';
import { CurrentUser } from 'src/common/decorators/current-user.decorator';
import { Public } from 'src/common/decorators/public.decorator';
import { JwtRefreshGuard } from 'src/common/guards/jwt-auth.guard';
import type { ClientInfo } from 'src/sessions/sessions.service';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  register(@Body() dto: RegisterDto) {
    return this.auth.register(dto);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async login(@Body() dto: LoginDto, @Client() client: ClientInfo) {
    return toTokenResponse(await this.auth.login(dto, client));
  }

  @Public()
  @UseGuards(JwtRefreshGuard)
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async refresh(@CurrentUser() claims: RefreshClaims) {
    return toTokenResponse(await this.auth.refresh(claims));
  }

  @Post('logout')
  @HttpCode(204)
  logout(@CurrentUser() user: AuthUser) {
    return this.auth.logout(user);
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return this.auth.me(user);
  }
}
