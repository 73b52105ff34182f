import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  OnApplicationBootstrap,
  UnauthorizedException,
} from '@nestjs/common';
import { AuditService, RequestOrigin } from 'src/audit/audit.service';
import { AuthUser } from 'src/auth/auth-user';
import { ChangePasswordDto } from 'src/auth/dto/change-password.dto';
import { LoginDto } from 'src/auth/dto/login.dto';
import { RegisterDto } from 'src/auth/dto/register.dto';
import { EndedSession, IssuedTokens } from 'src/auth/issued-tokens';
import { RefreshPrincipal } from 'src/auth/strategies/jwt-refresh.strategy';
import { TokenMessage } from 'src/auth/guards/token-errors';
import { TokenService } from 'src/auth/token.service';
import { ClientInfo, SessionsService } from 'src/sessions/sessions.service';
import { LoginAttemptsService } from 'src/throttling/login-attempts.service';
import { toUserResponse, UserResponse } from 'src/users/dto/user-response';
import { normalizePassword, passwordProblems } from 'src/common/password-policy';
import { PasswordService } from 'src/users/password.service';
import { Role } from 'src/auth/role.enum';
import { usernameKey } from 'src/users/username';
import { User } from 'src/users/user.entity';
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
    private readonly audit: AuditService,
  ) {}

  /** Hashes the unknown-user dummy up front, so the first such login costs no more than later ones. */
  async onApplicationBootstrap(): Promise<void> {
    await this.passwords.warmUp();
  }

  /** Anonymous sign-up; always a plain user (admins create admins at POST /api/users). */
  register(dto: RegisterDto, client: ClientInfo): Promise<UserResponse> {
    if (dto.role !== undefined) throw new ForbiddenException(ROLE_NOT_ALLOWED);
    return this.users.create(dto.username, dto.password, Role.User, client.ip);
  }

  /**
   * Unknown user and wrong password cost one bcrypt comparison each and answer
   * alike; both count towards the username-and-address failure limit. A hash
   * from before passwords were normalised is replaced by a normalised one.
   */
  async login(dto: LoginDto, client: ClientInfo): Promise<IssuedTokens> {
    const { user, ok } = await this.checkPassword(dto.username, dto.password, client);
    if (!user || !ok) {
      this.audit.record('login.failed', client, { userId: user?.id, username: usernameKey(dto.username) });
      throw new UnauthorizedException(TokenMessage.badCredentials);
    }
    if (!user.passwordNormalized) {
      await this.users.normalizeLegacyHash(user, dto.password, { ip: client.ip, username: dto.username });
    }
    const { sessionId, pair } = await this.tokens.openSession(user, client);
    this.audit.record('login.succeeded', client, { userId: user.id, sessionId });
    return new IssuedTokens(pair, sessionId, dto.use_cookies === true);
  }

  /**
   * Rotates the session's refresh token. Presenting one that was already
   * rotated is treated as theft: the session, with its newest tokens, is
   * revoked (RFC 9700, section 4.14).
   */
  async refresh(claims: RefreshPrincipal): Promise<IssuedTokens> {
    const found = await this.sessions.findWithUser(claims.sid, Number(claims.sub));
    if (!found || !this.sessions.isActive(found)) throw new UnauthorizedException(TokenMessage.revoked);
    const pair = await this.tokens.rotate({ id: found.userId, role: found.role }, found.sessionId, claims.jti);
    if (!pair) {
      await this.sessions.revoke(found.sessionId);
      this.audit.record('refresh.reuse_detected', claims, { userId: found.userId, sessionId: found.sessionId });
      throw new UnauthorizedException(TokenMessage.revoked);
    }
    return new IssuedTokens(pair, found.sessionId, claims.transport === 'cookie');
  }

  /**
   * Needs a fresh token and the current password. Every other session is
   * revoked; the current one gets new tokens (fresh: the password was just proven).
   */
  async changePassword(user: AuthUser, dto: ChangePasswordDto): Promise<IssuedTokens> {
    // The DTO checked the rest of the policy; this rule needs the caller's username.
    const problems = passwordProblems(dto.new_password, 'new_password', user.username);
    if (problems.length > 0) throw new BadRequestException(problems);
    if (!user.fresh) throw new UnauthorizedException(TokenMessage.fresh);
    if (!(await this.checkPassword(user.username, dto.current_password, user)).ok) {
      this.audit.record('password.change_failed', user, { userId: user.id, sessionId: user.sessionId });
      throw new ForbiddenException(TokenMessage.badCredentials);
    }
    if (normalizePassword(dto.new_password) === normalizePassword(dto.current_password)) {
      throw new BadRequestException([SAME_PASSWORD]);
    }
    const passwordHash = await this.passwords.hash(dto.new_password, { ip: user.ip, username: user.username });
    await this.users.setPasswordHash(user.id, passwordHash);
    await this.sessions.revokeAllForUser(user.id, user.sessionId);
    const pair = await this.tokens.replace(user, user.sessionId);
    if (!pair) throw new UnauthorizedException(TokenMessage.revoked);
    this.audit.record('password.changed', user, { userId: user.id, sessionId: user.sessionId });
    return new IssuedTokens(pair, user.sessionId, user.transport === 'cookie');
  }

  /**
   * Every password check goes through here, so each counts towards LOGIN_MAX_FAILURES
   * per username and address (429 once used up, before any bcrypt work) and costs
   * one comparison whether the user exists or not.
   */
  private async checkPassword(
    username: string,
    password: string,
    client: RequestOrigin,
  ): Promise<{ user: User | null; ok: boolean }> {
    await this.attempts.assertAllowed(username, client);
    const user = await this.users.findForLogin(username);
    const who = { ip: client.ip, username };
    const ok = user
      ? await this.passwords.verify(password, user, who)
      : await this.passwords.burnEqualTime(password, who);
    if (user && ok) await this.attempts.reset(username, client.ip);
    else await this.attempts.recordFailure(username, client.ip);
    return { user, ok };
  }

  async logout(user: AuthUser): Promise<EndedSession> {
    await this.sessions.revoke(user.sessionId);
    this.audit.record('logout', user, { userId: user.id, sessionId: user.sessionId });
    return new EndedSession();
  }

  me(user: AuthUser): UserResponse {
    return toUserResponse(user);
  }
}
