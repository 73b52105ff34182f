import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { IdempotencyKeysRepository } from 'src/idempotency/idempotency-keys.repository';

/** How long a key's answer is replayed (draft-ietf-httpapi-idempotency-key-header: the server sets it). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
/**
 * A request still unfinished after this long died with its process; its key is
 * taken over. (A crash between the create and the record of its answer would
 * let that retry create again: the two writes are not one transaction, because
 * TypeORM's SQLite driver cannot run concurrent transactions; see entity-repository.ts.)
 */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;

export const KEY_IN_PROGRESS = 'A request with this Idempotency-Key is still being processed';
export const KEY_REUSED = 'This Idempotency-Key was used with a different request body';

export type Claim = { replay: false; id: number } | { replay: true; statusCode: number; body: unknown };

/** The Idempotency-Key records: claim a key, record its answer, or let it go on failure. */
@Injectable()
export class IdempotencyService {
  constructor(private readonly keys: IdempotencyKeysRepository) {}

  /**
   * The INSERT is the claim: of concurrent requests with one key, the unique index
   * lets exactly one through; the others see its row (409 while it runs, its answer after).
   */
  async claim(userId: number, route: string, key: string, requestHash: string): Promise<Claim> {
    for (let attempt = 0; ; attempt++) {
      const id = await this.keys.insertClaim(userId, route, key, requestHash);
      if (id !== null) return { replay: false, id };
      const existing = await this.keys.findClaim(userId, route, key);
      // Gone since the INSERT failed (released, expired or pruned): claim it again.
      if (!existing) continue;
      const age = Date.now() - existing.createdAt.getTime();
      const stale = age > IDEMPOTENCY_WINDOW_MS || (existing.statusCode === null && age > IDEMPOTENCY_LEASE_MS);
      if (stale && attempt < 2) {
        await this.keys.deleteIfStatus(existing.id, existing.statusCode);
        continue;
      }
      if (existing.requestHash !== requestHash) throw new UnprocessableEntityException(KEY_REUSED);
      if (existing.statusCode === null) throw new ConflictException({ message: KEY_IN_PROGRESS, retryAfter: 1 });
      return { replay: true, statusCode: existing.statusCode, body: JSON.parse(existing.responseBody ?? 'null') };
    }
  }

  async complete(id: number, statusCode: number, body: unknown): Promise<void> {
    await this.keys.complete(id, statusCode, JSON.stringify(body ?? null));
  }

  /** The request failed: nothing was created, so a retry with the same key may run again. */
  async release(id: number): Promise<void> {
    await this.keys.deleteIfStatus(id, null);
  }

  /** Keys past their window; idempotent, so every instance may run it. */
  prune(now = Date.now()): Promise<number> {
    return this.keys.deleteCreatedBefore(new Date(now - IDEMPOTENCY_WINDOW_MS));
  }
}
