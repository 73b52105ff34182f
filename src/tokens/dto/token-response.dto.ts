import { ApiProperty } from '@nestjs/swagger';
import { Scope } from 'src/auth/scope.enum';
import { SHAPE } from 'src/tokens/token-secret';
import { PersonalAccessToken } from 'src/tokens/personal-access-token.entity';

/** A personal access token as listed: never its secret. */
export class PersonalAccessTokenResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ minLength: 1, maxLength: 100 })
  name: string;

  @ApiProperty({ enum: Scope, enumName: 'Scope', isArray: true })
  scopes: Scope[];

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  expires_at: string;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When it last authenticated a request (to the minute); null if never',
  })
  last_used_at: string | null;
}

/** The answer to POST /api/tokens: the only time the secret is shown. */
export class CreatedPersonalAccessTokenResponse extends PersonalAccessTokenResponse {
  @ApiProperty({
    pattern: SHAPE.source,
    description: 'The secret: send it as `Authorization: Bearer <token>`. It cannot be shown again.',
  })
  token: string;
}

export function toPersonalAccessTokenResponse(t: PersonalAccessToken): PersonalAccessTokenResponse {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes.split(' ') as Scope[],
    created_at: t.createdAt.toISOString(),
    expires_at: t.expiresAt.toISOString(),
    last_used_at: t.lastUsedAt ? t.lastUsedAt.toISOString() : null,
  };
}
