import { TokenPair } from 'src/auth/token.service';

/** Tokens a handler issued, and whether they travel in cookies or in the body. */
export class IssuedTokens {
  constructor(
    readonly pair: TokenPair,
    readonly sessionId: string,
    readonly cookies: boolean,
  ) {}
}

/** A session that ended: its auth cookies, if the request had any, are cleared. */
export class EndedSession {}
