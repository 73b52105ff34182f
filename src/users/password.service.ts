import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import * as bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';
import { authConfig } from 'src/config/auth.config';

/** bcrypt on its async API, so hashing runs on libuv's thread pool and never blocks the event loop. */
@Injectable()
export class PasswordService {
  private dummyHash?: Promise<string>;

  constructor(@Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.bcryptCost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  /**
   * Spends the time of one real comparison for a username that does not exist,
   * so response time does not tell which usernames are registered.
   */
  async burnEqualTime(password: string): Promise<false> {
    this.dummyHash ??= this.hash(randomBytes(18).toString('base64'));
    await bcrypt.compare(password, await this.dummyHash);
    return false;
  }

  /** Computes the dummy hash up front so the first unknown-user login is not slower than later ones. */
  async warmUp(): Promise<void> {
    this.dummyHash ??= this.hash(randomBytes(18).toString('base64'));
    await this.dummyHash;
  }
}
