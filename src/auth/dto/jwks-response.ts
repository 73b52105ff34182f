import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One public key (RFC 7517): RSA keys have n and e, EC and OKP keys crv and x (EC also y). */
export class JwkResponse {
  @ApiProperty({ enum: ['RSA', 'EC', 'OKP'] })
  kty: string;

  @ApiProperty({ description: 'RFC 7638 thumbprint; the `kid` header of the tokens it signs' })
  kid: string;

  @ApiProperty({ enum: ['RS256', 'ES256', 'EdDSA'] })
  alg: string;

  @ApiProperty({ enum: ['sig'] })
  use: 'sig';

  @ApiPropertyOptional()
  n?: string;

  @ApiPropertyOptional()
  e?: string;

  @ApiPropertyOptional()
  crv?: string;

  @ApiPropertyOptional()
  x?: string;

  @ApiPropertyOptional()
  y?: string;
}

/** The JWK Set of the keys that verify this service's tokens. */
export class JwksResponse {
  @ApiProperty({ type: [JwkResponse] })
  keys: JwkResponse[];
}
