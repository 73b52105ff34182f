import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AuthUser } from 'src/auth/auth-user';
import { ConfigError } from 'src/config/env.validation';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { ServerBusyException, TooManyRequestsException } from 'src/common/http/retry-later';
import { ADMIN_REQUIRED } from 'src/auth/guards/roles.guard';
import { SessionsService } from 'src/sessions/sessions.service';
import { TokensService } from 'src/tokens/tokens.service';
import { toUserResponse, UserResponse } from 'src/users/dto/user-response';
import { normalizePassword } from 'src/common/password-policy';
import { LOCAL_CLIENT, PasswordService, PasswordWorkFor } from 'src/users/password.service';
import { Role } from 'src/auth/role.enum';
import { User } from 'src/users/user.entity';
import { USERNAME_TAKEN, UsersRepository } from 'src/users/users.repository';
import { usernameKey } from 'src/users/username';

export { USERNAME_TAKEN };
export const LAST_ADMIN = 'The last admin cannot be demoted or deleted';
export const FRESH_REQUIRED = 'Fresh token required';
export const USER_NOT_FOUND = 'User not found';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly personalTokens: TokensService,
    private readonly audit: AuditService,
  ) {}

  /** Creates a user; a username taken in any letter case is 409. `ip` is whose bcrypt work it is. */
  async create(username: string, password: string, role: Role, ip: string): Promise<UserResponse> {
    const key = usernameKey(username);
    // Saves the bcrypt work; two registrations racing past it are settled by the unique index (409).
    if (await this.users.existsByUsernameKey(key)) throw new ConflictException(USERNAME_TAKEN);
    const passwordHash = await this.passwords.hash(password, { ip, username });
    const user = this.users.create({ username, usernameKey: key, passwordHash, passwordNormalized: true, role });
    return toUserResponse(await this.users.save(user));
  }

  /** The user row with its password hash, for a login only. */
  findForLogin(username: string): Promise<User | null> {
    return this.users.findByUsernameKey(usernameKey(username));
  }

  /** Stores a hash of the normalised password (PasswordService.hash). */
  async setPasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.users.setPasswordHash(id, passwordHash);
  }

  /**
   * A user whose hash predates normalisation has just proven `password`: stores the
   * normalised password's hash (the same hash when normalising changes nothing). Only
   * if the hash is still the one checked, so a password change at the same moment wins.
   */
  async normalizeLegacyHash(user: User, password: string, who: PasswordWorkFor): Promise<void> {
    let passwordHash = user.passwordHash;
    if (normalizePassword(password) !== password) {
      try {
        passwordHash = await this.passwords.hash(password, who);
      } catch (error) {
        // No bcrypt room just now: the login stands, and the next one tries again.
        if (error instanceof TooManyRequestsException || error instanceof ServerBusyException) return;
        throw error;
      }
    }
    await this.users.replacePasswordHash(user.id, user.passwordHash, passwordHash);
  }

  async list(query: PaginationQueryDto): Promise<Page<UserResponse>> {
    return (await this.users.page(query)).map(toUserResponse);
  }

  /** Self or admin; anyone else is refused before existence is revealed. */
  async get(id: number, caller: AuthUser): Promise<UserResponse> {
    if (caller.id !== id && caller.role !== Role.Admin) throw new ForbiddenException(ADMIN_REQUIRED);
    return toUserResponse(await this.getRow(id));
  }

  /**
   * Admin only (route-guarded). Revokes the user's sessions, so the new role applies at once,
   * and personal access tokens, whose scopes were granted under the old role.
   */
  async changeRole(id: number, role: Role, actor: AuthUser): Promise<UserResponse> {
    const user = await this.getRow(id);
    if (user.role !== role) {
      if (user.role === Role.Admin && !(await this.users.demoteUnlessLastAdmin(id, role)))
        throw new ConflictException(LAST_ADMIN);
      if (user.role !== Role.Admin) await this.users.setRole(id, role);
      await this.sessions.revokeAllForUser(id);
      await this.personalTokens.revokeAllForUser(id);
      this.audit.record('role.changed', actor, { userId: id, actorId: actor.id, from: user.role, to: role });
    }
    return toUserResponse({ ...user, role });
  }

  /** Admin, or the user themself with a fresh token. Tasks, sessions and tokens go by foreign-key cascade. */
  async remove(id: number, caller: AuthUser): Promise<void> {
    const self = caller.id === id;
    if (!self && caller.role !== Role.Admin) throw new ForbiddenException(ADMIN_REQUIRED);
    if (self && !caller.fresh) throw new UnauthorizedException(FRESH_REQUIRED);
    const user = await this.getRow(id);
    if (user.role === Role.Admin) {
      if (!(await this.users.deleteUnlessLastAdmin(id))) throw new ConflictException(LAST_ADMIN);
    } else {
      await this.users.deleteById(id);
    }
    this.audit.record('user.deleted', caller, { userId: id, actorId: caller.id });
  }

  /**
   * Creates ADMIN_USERNAME at start-up when the database has no admin yet.
   * An existing account of that name is never promoted: whoever registered it
   * would become admin.
   */
  async ensureAdmin(username: string, password: string): Promise<boolean> {
    if (await this.users.hasAdmin()) return false;
    if (await this.users.existsByUsernameKey(usernameKey(username))) {
      throw new ConfigError(`Invalid configuration: ADMIN_USERNAME "${username}" is taken by a non-admin user`);
    }
    try {
      await this.create(username, password, Role.Admin, LOCAL_CLIENT);
    } catch (error) {
      // Another instance starting at the same moment created it first: that is the admin we wanted.
      if (error instanceof ConflictException && (await this.users.hasAdmin())) return false;
      throw error;
    }
    return true;
  }

  private async getRow(id: number): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(USER_NOT_FOUND);
    return user;
  }
}
