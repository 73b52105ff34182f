/** Who a piece of work is done for: each key has its own bound on work queued or running. */
export interface WorkKeys {
  /** The client address (or /64 for IPv6): waiting work takes turns by this key. */
  client: string;
  username: string;
}

export type WorkBound = 'client' | 'username' | 'backlog';

export interface FairLimitOptions {
  /** Tasks running at once. */
  slots: number;
  /** Tasks queued or running for one client key. */
  perClient: number;
  /** Tasks queued or running for one username. */
  perUsername: number;
  /** Tasks waiting for a slot, all keys together. */
  backlog: number;
}

/** Thrown instead of queueing a task beyond a bound; `retryAfterSeconds` estimates when the queue has room. */
export class WorkRefusedError extends Error {
  constructor(
    readonly bound: WorkBound,
    readonly retryAfterSeconds: number,
  ) {
    super(`work refused: ${bound} bound reached`);
  }
}

/** How the limit stands now, for metrics. */
export interface FairLimitStats {
  running: number;
  queued: number;
  refused: Record<WorkBound, number>;
}

/** One client key's share: its tasks queued or running, its waiting tasks, and its last finish tag. */
interface ClientShare {
  count: number;
  finish: number;
  waiting: Array<{ start: number; resume: () => void }>;
}

/**
 * At most `slots` tasks at once; waiting tasks are served by start-time fair queueing
 * over client keys (Goyal et al., SIGCOMM 1996): a task's tag is the later of "now" in
 * virtual time and its client's previous task's tag plus one, and the smallest tag goes
 * next. A client with many tasks waiting thus delays another client's single task by
 * the tasks already running, not by its own queue. Work beyond a bound is refused at once.
 * Hand-written: the queue libraries (p-queue, p-limit, bottleneck) are first come,
 * first served, or limit each key alone without sharing slots fairly between keys.
 */
export class FairConcurrencyLimit {
  private running = 0;
  private queued = 0;
  /** The tag of the task started last. */
  private virtualTime = 0;
  private readonly clients = new Map<string, ClientShare>();
  private readonly perUsername = new Map<string, number>();
  private readonly refused: Record<WorkBound, number> = { client: 0, username: 0, backlog: 0 };
  /** Moving average of a task's running time, for Retry-After estimates. */
  private averageMs = 0;

  constructor(readonly options: FairLimitOptions) {
    for (const [name, value] of Object.entries(options)) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
    }
  }

  stats(): FairLimitStats {
    return { running: this.running, queued: this.queued, refused: { ...this.refused } };
  }

  async run<T>(keys: WorkKeys, task: () => Promise<T>): Promise<T> {
    const bound = this.boundReached(keys);
    if (bound) {
      this.refused[bound]++;
      throw new WorkRefusedError(bound, this.retryAfterSeconds());
    }
    let share = this.clients.get(keys.client);
    if (!share) this.clients.set(keys.client, (share = { count: 0, finish: 0, waiting: [] }));
    share.count++;
    this.perUsername.set(keys.username, (this.perUsername.get(keys.username) ?? 0) + 1);
    const start = Math.max(this.virtualTime, share.finish);
    share.finish = start + 1;
    try {
      if (this.running < this.options.slots) {
        this.running++;
        this.virtualTime = start;
      } else {
        this.queued++;
        await new Promise<void>((resume) => share.waiting.push({ start, resume }));
      }
      const started = performance.now();
      try {
        return await task();
      } finally {
        const ms = performance.now() - started;
        this.averageMs = this.averageMs === 0 ? ms : this.averageMs * 0.8 + ms * 0.2;
        this.next();
      }
    } finally {
      if (--share.count === 0) this.clients.delete(keys.client);
      const n = this.perUsername.get(keys.username)! - 1;
      if (n > 0) this.perUsername.set(keys.username, n);
      else this.perUsername.delete(keys.username);
    }
  }

  private boundReached(keys: WorkKeys): WorkBound | undefined {
    if ((this.clients.get(keys.client)?.count ?? 0) >= this.options.perClient) return 'client';
    if ((this.perUsername.get(keys.username) ?? 0) >= this.options.perUsername) return 'username';
    if (this.running >= this.options.slots && this.queued >= this.options.backlog) return 'backlog';
    return undefined;
  }

  /**
   * Hands the freed slot to the waiting task with the smallest tag (the earlier client on a
   * tie), else frees it. A scan of the clients: at most `backlog` of them have tasks waiting.
   */
  private next(): void {
    let first: ClientShare | undefined;
    for (const share of this.clients.values()) {
      if (share.waiting.length > 0 && (!first || share.waiting[0].start < first.waiting[0].start)) first = share;
    }
    if (!first) {
      this.running--;
      return;
    }
    const { start, resume } = first.waiting.shift()!;
    this.virtualTime = start;
    this.queued--;
    resume();
  }

  /** The time for the current backlog to drain through the slots, at least one second. */
  private retryAfterSeconds(): number {
    const ms = ((this.queued + this.running) / this.options.slots) * this.averageMs;
    return Math.max(1, Math.ceil(ms / 1000));
  }
}
