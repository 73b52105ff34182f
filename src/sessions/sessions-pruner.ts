import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { prunePass } from 'src/common/prune-pass';
import { SessionsService } from 'src/sessions/sessions.service';

const HOUR_MS = 3600 * 1000;

/** Keeps the sessions table bounded. Idempotent, so several instances may all run it. */
@Injectable()
export class SessionsPruner {
  private readonly logger = new Logger(SessionsPruner.name);

  constructor(private readonly sessions: SessionsService) {}

  @Interval('prune-sessions', HOUR_MS)
  pruneHourly(): Promise<void> {
    return prunePass(this.logger, 'expired or revoked sessions', () => this.sessions.prune());
  }
}
