import { Injectable, Logger } from '@nestjs/common';
import { Dependency, dependencyFailure } from 'src/common/dependencies/dependency-failure';

/** Failures closer together than this belong to one episode (one log line). */
export const EPISODE_GAP_MS = 60_000;

const LABEL: Record<Dependency, string> = { database: 'Database', redis: 'Redis', disk: 'Storage' };

/**
 * Dependency outages, logged once per episode at warn instead of once per
 * request: the first failure opens an episode and is logged; an episode ends
 * when the dependency is seen working again (a new database connection, Redis
 * ready, a readiness check) or after EPISODE_GAP_MS without a failure.
 */
@Injectable()
export class Outages {
  private readonly logger = new Logger('Dependencies');
  /** Open episodes: dependency → time of its latest failure. */
  private readonly open = new Map<Dependency, number>();

  failed(dependency: Dependency, error: unknown): void {
    const now = Date.now();
    const last = this.open.get(dependency);
    this.open.set(dependency, now);
    if (last !== undefined && now - last < EPISODE_GAP_MS) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      { dependency, reason },
      `${LABEL[dependency]} unavailable (${reason}): answering 503 with Retry-After until it recovers`,
    );
  }

  /**
   * For work done aside from a response (recording a session's use, an idempotency record):
   * a dependency failure joins its outage episode and returns true; anything else returns false.
   */
  absorbed(error: unknown): boolean {
    const dependency = dependencyFailure(error);
    if (dependency) this.failed(dependency, error);
    return dependency !== undefined;
  }

  recovered(dependency: Dependency): void {
    if (this.open.delete(dependency)) this.logger.warn({ dependency }, `${LABEL[dependency]} available again`);
  }

  /** True while an episode of this dependency is open. */
  isDown(dependency: Dependency): boolean {
    const last = this.open.get(dependency);
    return last !== undefined && Date.now() - last < EPISODE_GAP_MS;
  }
}
