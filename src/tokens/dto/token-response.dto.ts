import { ApiProperty } from '@nestjs/swagger';
import { Scope } from 'src/auth/scope.enum';
import { PersonalAccessToken } from 'src/tokens/personal-access-token.entity';

/** A personal access token as listed: never its secret. */
export class TokenResponse {
  id: string;
  name: string;
  @ApiProperty({ enum: Scope, isArray: true })
  scopes: Scope[];
  created_at: string;
  expires_at: string;
  /** When it last authenticated a request (to the minute); null if never. */
  last_used_at: string | null;
}

/** The answer to POST /api/tokens: the only time the secret is shown. */
export class CreatedTokenResponse extends TokenResponse {
  /** The secret, `tapi_pat_…`: send it as `Authorization: Bearer <token>`. It cannot be shown again. */
  token: string;
}

export function toTokenResponse(t: PersonalAccessToken): TokenResponse {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes.split(' ') as Scope[],
    created_at: t.createdAt.toISOString(),
    expires_at: t.expiresAt.toISOString(),
    last_used_at: t.lastUsedAt ? t.lastUsedAt.toISOString() : null,
  };
}
