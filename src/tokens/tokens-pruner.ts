import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { prunePass } from 'src/common/prune-pass';
import { TokensService } from 'src/tokens/tokens.service';

const HOUR_MS = 3600 * 1000;

/** Keeps the tokens table bounded. */
@Injectable()
export class TokensPruner {
  private readonly logger = new Logger(TokensPruner.name);

  constructor(private readonly tokens: TokensService) {}

  @Interval('prune-personal-access-tokens', HOUR_MS)
  pruneHourly(): Promise<void> {
    return prunePass(this.logger, 'expired or revoked personal access tokens', () => this.tokens.prune());
  }
}
