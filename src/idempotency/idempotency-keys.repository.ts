import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import { isUniqueViolation } from 'src/common/unique-violation';
import { DirectQueries } from 'src/database/direct-queries';
import { EntityRepository } from 'src/database/entity-repository';
import { IdempotencyKey } from 'src/idempotency/idempotency-key.entity';

/** Every query on idempotency_keys. A record without a status code is a request still running. */
@Injectable()
export class IdempotencyKeysRepository extends EntityRepository<IdempotencyKey> {
  constructor(@InjectRepository(IdempotencyKey) keys: Repository<IdempotencyKey>, direct: DirectQueries) {
    super(keys, direct);
  }

  /** The INSERT that claims a key: the new record's id, or null when the unique index already holds the key. */
  async insertClaim(userId: number, route: string, key: string, requestHash: string): Promise<number | null> {
    try {
      const { identifiers } = await this.repo.insert({ userId, route, key, requestHash });
      return Number(identifiers[0].id);
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  findClaim(userId: number, route: string, key: string): Promise<IdempotencyKey | null> {
    return this.repo.findOneBy({ userId, route, key });
  }

  /** Deletes the record only while its status code is still `statusCode` (null: unfinished). */
  async deleteIfStatus(id: number, statusCode: number | null): Promise<void> {
    await this.repo.delete({ id, statusCode: statusCode ?? IsNull() });
  }

  async complete(id: number, statusCode: number, responseBody: string): Promise<void> {
    await this.repo.update({ id }, { statusCode, responseBody });
  }

  deleteCreatedBefore(before: Date): Promise<number> {
    return this.deleteAll({ createdAt: LessThan(before) });
  }
}
