import { ApiProperty } from '@nestjs/swagger';
import { TokenPair } from 'src/auth/token.service';

/** The tokens, for a client that keeps them itself (Authorization: Bearer). */
export class TokenResponse {
  @ApiProperty({ description: 'JWT for the Authorization header of every other call' })
  access_token: string;

  @ApiProperty({ description: 'JWT for POST /api/refresh only; rotated on each use' })
  refresh_token: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type: 'Bearer';

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Seconds the access token lives', example: 900 })
  expires_in: number;
}

/** Cookie transport: the tokens went into HttpOnly cookies, none is in the body. */
export class CookieTokenResponse {
  @ApiProperty({ enum: ['cookie'] })
  token_type: 'cookie';

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Seconds the access token lives', example: 900 })
  expires_in: number;
}

export function toTokenResponse(pair: TokenPair): TokenResponse {
  return {
    access_token: pair.accessToken,
    refresh_token: pair.refreshToken,
    token_type: 'Bearer',
    expires_in: pair.expiresIn,
  };
}

export function toCookieTokenResponse(pair: TokenPair): CookieTokenResponse {
  return { token_type: 'cookie', expires_in: pair.expiresIn };
}
