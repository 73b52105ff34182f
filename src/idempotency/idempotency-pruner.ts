import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { IdempotencyService } from 'src/idempotency/idempotency.service';

const HOUR_MS = 3600 * 1000;

/** Drops Idempotency-Key records past their 24 h window. Idempotent, so several instances may all run it. */
@Injectable()
export class IdempotencyPruner {
  private readonly logger = new Logger(IdempotencyPruner.name);

  constructor(private readonly idempotency: IdempotencyService) {}

  @Interval('prune-idempotency-keys', HOUR_MS)
  async pruneHourly(): Promise<void> {
    try {
      const removed = await this.idempotency.prune();
      if (removed > 0) this.logger.log(`Pruned ${removed} expired idempotency keys`);
    } catch (error) {
      this.logger.error(`Pruning idempotency keys failed: ${(error as Error).message}`);
    }
  }
}
