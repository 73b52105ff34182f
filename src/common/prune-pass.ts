import { Logger } from '@nestjs/common';

/**
 * One pass of an hourly pruning job: logs how many rows went, and a failure
 * instead of rejecting (a scheduler callback must not). Every pruner is
 * idempotent, so several instances may all run it.
 */
export async function prunePass(logger: Logger, what: string, prune: () => Promise<number>): Promise<void> {
  try {
    const removed = await prune();
    if (removed > 0) logger.log(`Pruned ${removed} ${what}`);
  } catch (error) {
    logger.error(`Pruning ${what} failed: ${(error as Error).message}`);
  }
}
