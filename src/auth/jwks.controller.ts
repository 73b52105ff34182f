import { ApiTags } from '@nestjs/swagger';
import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { JwtKeys } from 'src/auth/jwt-keys';
import { Public } from 'src/auth/decorators/public.decorator';

/** Public keys for other services to verify tokens with (RFC 7517); served outside the /api prefix. */
@ApiTags('keys')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: JwtKeys) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks() {
    // Under HS256 the key is a shared secret: there is nothing to publish.
    return this.keys.jwks ?? throwNotFound();
  }
}

function throwNotFound(): never {
  throw new NotFoundException('No public keys: tokens are signed with HS256');
}
