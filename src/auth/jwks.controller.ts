import { ApiTags } from '@nestjs/swagger';
import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { JwksResponse } from 'src/auth/dto/jwks-response';
import { JwtKeys } from 'src/auth/jwt-keys';
import { Public } from 'src/auth/decorators/public.decorator';
import { Returns } from 'src/docs/api-response.decorator';

export const NO_PUBLIC_KEYS = 'No public keys: tokens are signed with HS256';

/** Public keys for other services to verify tokens with (RFC 7517); served outside the /api prefix. */
@ApiTags('keys')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: JwtKeys) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @Returns(JwksResponse, {
    id: 'getJwks',
    summary: 'Public keys that verify the tokens (JWK Set)',
    description: 'Only with asymmetric keys (RS256, ES256, EdDSA); 404 under HS256, whose key is a shared secret.',
    errors: [{ status: 404, messages: [NO_PUBLIC_KEYS] }],
  })
  jwks(): JwksResponse {
    // Under HS256 the key is a shared secret: there is nothing to publish.
    return this.keys.jwks ?? throwNotFound();
  }
}

function throwNotFound(): never {
  throw new NotFoundException(NO_PUBLIC_KEYS);
}
