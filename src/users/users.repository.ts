import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Role } from 'src/auth/role.enum';
import { DirectQueries } from 'src/database/direct-queries';
import { EntityRepository } from 'src/database/entity-repository';
import { User } from 'src/users/user.entity';

export const USERNAME_TAKEN = 'Username already exists';

/** Every query on users; a username taken in any letter case is a 409 (the unique index on username_key). */
@Injectable()
export class UsersRepository extends EntityRepository<User> {
  constructor(@InjectRepository(User) users: Repository<User>, direct: DirectQueries) {
    super(users, direct, USERNAME_TAKEN);
  }

  findByUsernameKey(usernameKey: string): Promise<User | null> {
    return this.repo.findOneBy({ usernameKey });
  }

  existsByUsernameKey(usernameKey: string): Promise<boolean> {
    return this.repo.existsBy({ usernameKey });
  }

  hasAdmin(): Promise<boolean> {
    return this.repo.existsBy({ role: Role.Admin });
  }

  /** A hash of the normalised password. */
  async setPasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.repo.update({ id }, { passwordHash, passwordNormalized: true });
  }

  /** Replaces the hash only if it is still `current` (a password change at the same moment wins). */
  async replacePasswordHash(id: number, current: string, passwordHash: string): Promise<void> {
    await this.repo.update({ id, passwordHash: current }, { passwordHash, passwordNormalized: true });
  }

  async setRole(id: number, role: Role): Promise<void> {
    await this.repo.update({ id }, { role });
  }

  /** One statement, so two admins demoting each other at once cannot leave none. */
  async demoteUnlessLastAdmin(id: number, role: Role): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(User)
      .set({ role })
      .where(`id = :id AND (SELECT COUNT(*) FROM users WHERE role = :admin) > 1`, { id, admin: Role.Admin })
      .execute();
    return result.affected === 1;
  }

  /** One statement, so two admins deleting each other at once cannot leave none. */
  async deleteUnlessLastAdmin(id: number): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .delete()
      .where(`id = :id AND (SELECT COUNT(*) FROM users WHERE role = :admin) > 1`, { id, admin: Role.Admin })
      .execute();
    return result.affected === 1;
  }
}
