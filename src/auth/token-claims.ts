import { UnauthorizedException } from '@nestjs/common';
import { TokenMessage } from 'src/auth/guards/token-errors';
import { Role, ROLES } from 'src/auth/role.enum';

export type TokenType = 'access' | 'refresh';

interface BaseClaims {
  sub: string;
  type: TokenType;
  jti: string;
  sid: string;
  iat: number;
  exp: number;
}
export interface AccessClaims extends BaseClaims {
  type: 'access';
  role: Role;
  fresh: boolean;
}
export interface RefreshClaims extends BaseClaims {
  type: 'refresh';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USER_ID = /^[1-9]\d{0,9}$/;

/**
 * Checks the claims of a token whose signature, issuer, audience and times
 * already verified. A missing or mistyped claim is "Invalid token"; a well-formed
 * token of the other type gets the contract's "Only … tokens are allowed".
 */
export function checkClaims(payload: unknown, expected: 'access'): AccessClaims;
export function checkClaims(payload: unknown, expected: 'refresh'): RefreshClaims;
export function checkClaims(payload: unknown, expected: TokenType): AccessClaims | RefreshClaims {
  const p = (payload ?? {}) as Record<string, unknown>;
  const wellFormed =
    typeof p.sub === 'string' &&
    USER_ID.test(p.sub) &&
    Number(p.sub) <= 2_147_483_647 &&
    (p.type === 'access' || p.type === 'refresh') &&
    typeof p.jti === 'string' &&
    UUID.test(p.jti) &&
    typeof p.sid === 'string' &&
    UUID.test(p.sid) &&
    Number.isInteger(p.iat) &&
    Number.isInteger(p.exp);
  if (!wellFormed) throw new UnauthorizedException(TokenMessage.invalid);
  if (p.type !== expected) {
    throw new UnauthorizedException(expected === 'access' ? TokenMessage.accessOnly : TokenMessage.refreshOnly);
  }
  if (
    expected === 'access' &&
    !(typeof p.role === 'string' && (ROLES as string[]).includes(p.role) && typeof p.fresh === 'boolean')
  ) {
    throw new UnauthorizedException(TokenMessage.invalid);
  }
  return p as unknown as AccessClaims | RefreshClaims;
}
