import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { TokensService } from 'src/tokens/tokens.service';

const HOUR_MS = 3600 * 1000;

/** Keeps the tokens table bounded. Idempotent, so several instances may all run it. */
@Injectable()
export class TokensPruner {
  private readonly logger = new Logger(TokensPruner.name);

  constructor(private readonly tokens: TokensService) {}

  @Interval('prune-personal-access-tokens', HOUR_MS)
  async pruneHourly(): Promise<void> {
    try {
      const removed = await this.tokens.prune();
      if (removed > 0) this.logger.log(`Pruned ${removed} expired or revoked personal access tokens`);
    } catch (error) {
      this.logger.error(`Pruning personal access tokens failed: ${(error as Error).message}`);
    }
  }
}
