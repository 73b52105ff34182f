import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { finalize, mergeMap, Observable } from 'rxjs';
import type { AuthUser } from 'src/auth/auth-user';
import { limitsConfig, type LimitsConfig } from 'src/config/limits.config';

/** One user's requests being handled, and those waiting for their turn (first come, first served). */
interface UserTurns {
  active: number;
  waiting: Array<() => void>;
}

/**
 * At most MAX_REQUESTS_IN_FLIGHT_PER_USER authenticated requests of one user are handled
 * at once; the others wait here, after authentication and before validation, queries and
 * serialisation. One user on 20 connections then has a few requests ahead of another
 * user's in the event loop and the database queue (SQLite's one connection, pg's pool),
 * not 20 (issue 13: another user's p99 while a heavy user lists). Nothing is refused:
 * rate limits do that. Hand-written: the concurrency libraries (p-limit, p-queue) keep one
 * queue per limiter, and this needs one small counter per user that is dropped when idle.
 */
@Injectable()
export class UserConcurrencyInterceptor implements NestInterceptor {
  private readonly users = new Map<number, UserTurns>();

  constructor(@Inject(limitsConfig.KEY) private readonly limits: LimitsConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) return next.handle();
    const id = user.id;
    return this.turn(id).pipe(mergeMap(() => next.handle().pipe(finalize(() => this.done(id)))));
  }

  /**
   * Emits once the user may run one more request. Abandoned while waiting, it leaves the
   * queue, so a turn is never handed to a request that is gone (and never given back).
   */
  private turn(id: number): Observable<void> {
    return new Observable<void>((subscriber) => {
      let turns = this.users.get(id);
      if (!turns) this.users.set(id, (turns = { active: 0, waiting: [] }));
      let granted = false;
      const grant = () => {
        granted = true;
        subscriber.next();
        subscriber.complete();
      };
      if (turns.active < this.limits.requestsInFlightPerUser) {
        turns.active++;
        grant();
        return undefined;
      }
      const queue = turns.waiting;
      queue.push(grant);
      return () => {
        if (!granted) queue.splice(queue.indexOf(grant), 1);
      };
    });
  }

  /** Hands the finished request's turn to the user's next waiting one (still counted active), or frees it. */
  private done(id: number): void {
    const turns = this.users.get(id)!;
    const next = turns.waiting.shift();
    if (next) return next();
    if (--turns.active === 0) this.users.delete(id);
  }
}
