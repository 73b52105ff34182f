import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  UnauthorizedException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuthUser } from 'src/auth/auth-user';
import { ChangePasswordDto } from 'src/auth/dto/change-password.dto';
import { LoginDto } from 'src/auth/dto/login.dto';
import { RegisterDto } from 'src/auth/dto/register.dto';
import { EndedSession, IssuedTokens } from 'src/auth/issued-tokens';
import { RefreshPrincipal } from 'src/auth/strategies/jwt-refresh.strategy';
import { TokenMessage } from 'src/auth/token-errors';
import { TokenService } from 'src/auth/token.service';
import { authConfig } from 'src/config/auth.config';
import { LoginAttemptsService } from 'src/throttling/login-attempts.service';
import { ClientInfo, SessionsService } from 'src/sessions/sessions.service';
import { toUserResponse, UserResponse } from 'src/users/dto/user-response';
import { PasswordService } from 'src/users/password.service';
import { Role } from 'src/users/role.enum';
import { UsersService } from 'src/users/users.service';

export const ROLE_NOT_ALLOWED = 'Only admins can assign roles';
export const SAME_PASSWORD = 'new_password must differ from current_password';

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly attempts: LoginAttemptsService,
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

  /**
   * Unknown user and wrong password cost one bcrypt comparison each and answer
   * alike; both count towards the username-and-address failure limit.
   */
  async login(dto: LoginDto, client: ClientInfo): Promise<IssuedTokens> {
    await this.attempts.assertAllowed(dto.username, client.ip);
    const user = await this.users.findForLogin(dto.username);
    const ok = user
      ? await this.passwords.verify(dto.password, user.passwordHash)
      : await this.passwords.burnEqualTime(dto.password);
    if (!user || !ok) {
      await this.attempts.recordFailure(dto.username, client.ip);
      throw new UnauthorizedException(TokenMessage.badCredentials);
    }
    await this.attempts.reset(dto.username, client.ip);
    const refreshJti = this.tokens.newJti();
    const session = await this.sessions.create(user.id, refreshJti, this.config.refreshTtl, client);
    const pair = await this.tokens.issue(user, session.id, refreshJti, true);
    return new IssuedTokens(pair, session.id, dto.use_cookies === true);
  }

  /**
   * Rotates the session's refresh token. Presenting one that was already
   * rotated is treated as theft: the session, with its newest tokens, is
   * revoked (RFC 9700, section 4.14).
   */
  async refresh(claims: RefreshPrincipal): Promise<IssuedTokens> {
    const found = await this.sessions.findWithUser(claims.sid, Number(claims.sub));
    if (!found || !this.sessions.isActive(found)) throw new UnauthorizedException(TokenMessage.revoked);
    const nextJti = this.tokens.newJti();
    if (!(await this.sessions.rotate(found.sessionId, claims.jti, nextJti, this.config.refreshTtl))) {
      await this.sessions.revoke(found.sessionId);
      throw new UnauthorizedException(TokenMessage.revoked);
    }
    const pair = await this.tokens.issue({ id: found.userId, role: found.role }, found.sessionId, nextJti, false);
    return new IssuedTokens(pair, found.sessionId, claims.transport === 'cookie');
  }

  /**
   * Needs a fresh token and the current password. Every other session is
   * revoked; the current one gets new tokens (fresh: the password was just proven).
   */
  async changePassword(user: AuthUser, dto: ChangePasswordDto): Promise<IssuedTokens> {
    if (!user.fresh) throw new UnauthorizedException(TokenMessage.fresh);
    const row = await this.users.findForLogin(user.username);
    if (!row || !(await this.passwords.verify(dto.current_password, row.passwordHash))) {
      throw new ForbiddenException(TokenMessage.badCredentials);
    }
    if (dto.new_password === dto.current_password) throw new BadRequestException([SAME_PASSWORD]);
    await this.users.setPasswordHash(user.id, await this.passwords.hash(dto.new_password));
    await this.sessions.revokeAllForUser(user.id, user.sessionId);
    const refreshJti = this.tokens.newJti();
    if (!(await this.sessions.replaceRefreshToken(user.sessionId, refreshJti, this.config.refreshTtl))) {
      throw new UnauthorizedException(TokenMessage.revoked);
    }
    const pair = await this.tokens.issue(user, user.sessionId, refreshJti, true);
    return new IssuedTokens(pair, user.sessionId, user.transport === 'cookie');
  }

  async logout(user: AuthUser): Promise<EndedSession> {
    await this.sessions.revoke(user.sessionId);
    return new EndedSession();
  }

  me(user: AuthUser): UserResponse {
    return toUserResponse(user);
  }
}
