import type { RequestOrigin } from 'src/audit/audit.service';
import type { Transport } from 'src/auth/guards/cookies';
import { Role } from 'src/auth/role.enum';

/** The caller, as loaded from the database for this request (never from token claims alone). */
export interface AuthUser extends RequestOrigin {
  id: number;
  username: string;
  role: Role;
  createdAt: Date;
  /** The `sid` claim: the session that issued the token. */
  sessionId: string;
  /** True only for an access token issued by a password login. */
  fresh: boolean;
  /** How the access token came: the bearer header, or the cookie (then CSRF was checked). */
  transport: Transport;
}
