import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SINGLE_STATEMENT } from 'src/database/save-options';
import { Repository } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { AuthUser } from 'src/auth/auth-user';
import { ConfigError } from 'src/config/env.validation';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { isUniqueViolation } from 'src/common/filters/all-exceptions.filter';
import { ADMIN_REQUIRED } from 'src/auth/guards/roles.guard';
import { SessionsService } from 'src/sessions/sessions.service';
import { toUserResponse, UserResponse } from 'src/users/dto/user-response';
import { normalizePassword } from 'src/common/password-policy';
import { LOCAL_CLIENT, PasswordService, PasswordWorkFor } from 'src/users/password.service';
import { Role } from 'src/auth/role.enum';
import { User } from 'src/users/user.entity';
import { usernameKey } from 'src/users/username';

export const USERNAME_TAKEN = 'Username already exists';
export const LAST_ADMIN = 'The last admin cannot be demoted or deleted';
export const FRESH_REQUIRED = 'Fresh token required';
export const USER_NOT_FOUND = 'User not found';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** Creates a user; a username taken in any letter case is 409. `ip` is whose bcrypt work it is. */
  async create(username: string, password: string, role: Role, ip: string): Promise<UserResponse> {
    const key = usernameKey(username);
    if (await this.users.existsBy({ usernameKey: key })) throw new ConflictException(USERNAME_TAKEN);
    const passwordHash = await this.passwords.hash(password, { ip, username });
    try {
      const user = await this.users.save(
        this.users.create({ username, usernameKey: key, passwordHash, passwordNormalized: true, role }),
        SINGLE_STATEMENT,
      );
      return toUserResponse(user);
    } catch (error) {
      // Two registrations of one name racing past the check above: the unique index decides.
      if (isUniqueViolation(error)) throw new ConflictException(USERNAME_TAKEN);
      throw error;
    }
  }

  /** The user row with its password hash, for a login only. */
  findForLogin(username: string): Promise<User | null> {
    return this.users.findOneBy({ usernameKey: usernameKey(username) });
  }

  /** Stores a hash of the normalised password (PasswordService.hash). */
  async setPasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash, passwordNormalized: true });
  }

  /**
   * A user whose hash predates normalisation has just proven `password`: stores the
   * normalised password's hash (the same hash when normalising changes nothing). Only
   * if the hash is still the one checked, so a password change at the same moment wins.
   */
  async normalizeLegacyHash(user: User, password: string, who: PasswordWorkFor): Promise<void> {
    const passwordHash =
      normalizePassword(password) === password ? user.passwordHash : await this.passwords.hash(password, who);
    await this.users.update(
      { id: user.id, passwordHash: user.passwordHash },
      { passwordHash, passwordNormalized: true },
    );
  }

  async list(query: PaginationQueryDto): Promise<Page<UserResponse>> {
    const [rows, total] = await this.users.findAndCount({
      order: { id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return new Page(rows.map(toUserResponse), total, query.limit, query.offset);
  }

  /** Self or admin; anyone else is refused before existence is revealed. */
  async get(id: number, caller: AuthUser): Promise<UserResponse> {
    if (caller.id !== id && caller.role !== Role.Admin) throw new ForbiddenException(ADMIN_REQUIRED);
    return toUserResponse(await this.getRow(id));
  }

  /** Admin only (route-guarded). Revokes the user's sessions so the new role applies at once. */
  async changeRole(id: number, role: Role, actor: AuthUser): Promise<UserResponse> {
    const user = await this.getRow(id);
    if (user.role !== role) {
      if (user.role === Role.Admin && !(await this.demoteAdmin(id, role))) throw new ConflictException(LAST_ADMIN);
      if (user.role !== Role.Admin) await this.users.update({ id }, { role });
      await this.sessions.revokeAllForUser(id);
      this.audit.record('role.changed', actor, { userId: id, actorId: actor.id, from: user.role, to: role });
    }
    return toUserResponse({ ...user, role });
  }

  /** Admin, or the user themself with a fresh token. Tasks and sessions go by foreign-key cascade. */
  async remove(id: number, caller: AuthUser): Promise<void> {
    const self = caller.id === id;
    if (!self && caller.role !== Role.Admin) throw new ForbiddenException(ADMIN_REQUIRED);
    if (self && !caller.fresh) throw new UnauthorizedException(FRESH_REQUIRED);
    const user = await this.getRow(id);
    if (user.role === Role.Admin) {
      const deleted = await this.users
        .createQueryBuilder()
        .delete()
        .where(`id = :id AND (SELECT COUNT(*) FROM users WHERE role = :admin) > 1`, { id, admin: Role.Admin })
        .execute();
      if (deleted.affected !== 1) throw new ConflictException(LAST_ADMIN);
    } else {
      await this.users.delete({ id });
    }
    this.audit.record('user.deleted', caller, { userId: id, actorId: caller.id });
  }

  /**
   * Creates ADMIN_USERNAME at start-up when the database has no admin yet.
   * An existing account of that name is never promoted: whoever registered it
   * would become admin.
   */
  async ensureAdmin(username: string, password: string): Promise<boolean> {
    if (await this.users.existsBy({ role: Role.Admin })) return false;
    if (await this.users.existsBy({ usernameKey: usernameKey(username) })) {
      throw new ConfigError(`Invalid configuration: ADMIN_USERNAME "${username}" is taken by a non-admin user`);
    }
    try {
      await this.create(username, password, Role.Admin, LOCAL_CLIENT);
    } catch (error) {
      // Another instance starting at the same moment created it first: that is the admin we wanted.
      if (error instanceof ConflictException && (await this.users.existsBy({ role: Role.Admin }))) return false;
      throw error;
    }
    return true;
  }

  private async getRow(id: number): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundException(USER_NOT_FOUND);
    return user;
  }

  /** One statement, so two admins demoting each other at once cannot leave none. */
  private async demoteAdmin(id: number, role: Role): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update(User)
      .set({ role })
      .where(`id = :id AND (SELECT COUNT(*) FROM users WHERE role = :admin) > 1`, { id, admin: Role.Admin })
      .execute();
    return result.affected === 1;
  }
}
