import { ForbiddenException, Inject, Injectable, OnApplicationBootstrap, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuthUser } from 'src/auth/auth-user';
import { LoginDto } from 'src/auth/dto/login.dto';
import { RegisterDto } from 'src/auth/dto/register.dto';
import { RefreshClaims } from 'src/auth/token-claims';
import { TokenMessage } from 'src/auth/token-errors';
import { TokenPair, TokenService } from 'src/auth/token.service';
import { authConfig } from 'src/config/auth.config';
import { ClientInfo, SessionsService } from 'src/sessions/sessions.service';
import { toUserResponse, UserResponse } from 'src/users/dto/user-response';
import { PasswordService } from 'src/users/password.service';
import { Role } from 'src/users/role.enum';
import { UsersService } from 'src/users/users.service';

export const ROLE_NOT_ALLOWED = 'Only admins can assign roles';

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /** Hashes the unknown-user dummy up front, so the first such login costs no more than later ones. */
  async onApplicationBootstrap(): Promise<void> {
    await this.passwords.warmUp();
  }

  /** Anonymous sign-up; always a plain user (admins create admins at POST /api/users). */
  register(dto: RegisterDto): Promise<UserResponse> {
    if (dto.role !== undefined) throw new ForbiddenException(ROLE_NOT_ALLOWED);
    return this.users.create(dto.username, dto.password, Role.User);
  }

  /** Unknown user and wrong password cost one bcrypt comparison each and answer alike. */
  async login(dto: LoginDto, client: ClientInfo): Promise<TokenPair> {
    const user = await this.users.findForLogin(dto.username);
    const ok = user
      ? await this.passwords.verify(dto.password, user.passwordHash)
      : await this.passwords.burnEqualTime(dto.password);
    if (!user || !ok) throw new UnauthorizedException(TokenMessage.badCredentials);
    const refreshJti = this.tokens.newJti();
    const session = await this.sessions.create(user.id, refreshJti, this.config.refreshTtl, client);
    return this.tokens.issue(user, session.id, refreshJti, true);
  }

  /**
   * Rotates the session's refresh token. Presenting one that was already
   * rotated is treated as theft: the session, with its newest tokens, is
   * revoked (RFC 9700, section 4.14).
   */
  async refresh(claims: RefreshClaims): Promise<TokenPair> {
    const found = await this.sessions.findWithUser(claims.sid, Number(claims.sub));
    if (!found || !this.sessions.isActive(found)) throw new UnauthorizedException(TokenMessage.revoked);
    const nextJti = this.tokens.newJti();
    if (!(await this.sessions.rotate(found.sessionId, claims.jti, nextJti, this.config.refreshTtl))) {
      await this.sessions.revoke(found.sessionId);
      throw new UnauthorizedException(TokenMessage.revoked);
    }
    return this.tokens.issue({ id: found.userId, role: found.role }, found.sessionId, nextJti, false);
  }

  logout(user: AuthUser): Promise<void> {
    return this.sessions.revoke(user.sessionId);
  }

  me(user: AuthUser): UserResponse {
    return toUserResponse(user);
  }
}
