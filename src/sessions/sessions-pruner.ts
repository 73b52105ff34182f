import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { SessionsService } from 'src/sessions/sessions.service';

const HOUR_MS = 3600 * 1000;

/** Keeps the sessions table bounded. Idempotent, so several instances may all run it. */
@Injectable()
export class SessionsPruner {
  private readonly logger = new Logger(SessionsPruner.name);

  constructor(private readonly sessions: SessionsService) {}

  @Interval('prune-sessions', HOUR_MS)
  async pruneHourly(): Promise<void> {
    try {
      const removed = await this.sessions.prune();
      if (removed > 0) this.logger.log(`Pruned ${removed} expired or revoked sessions`);
    } catch (error) {
      this.logger.error(`Pruning sessions failed: ${(error as Error).message}`);
    }
  }
}
