import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from 'src/auth/auth-user';
import type { Scope } from 'src/auth/scope.enum';
import { SCOPES_KEY } from 'src/auth/decorators/scopes.decorator';

export const PAT_NOT_ALLOWED = 'Personal access tokens cannot be used here';
export const missingScope = (scope: Scope) => `Token lacks the ${scope} scope`;

/**
 * Global, after the roles guard: a request authenticated by a personal access
 * token passes only a route that declares `@Scopes(...)` (deny by default), and
 * only with every scope it lists. Requests with a session token are not affected.
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const token = context.switchToHttp().getRequest<{ user?: AuthUser }>().user?.personalToken;
    if (!token) return true;
    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(SCOPES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) throw new ForbiddenException(PAT_NOT_ALLOWED);
    const missing = required.find((scope) => !token.scopes.includes(scope));
    if (missing) throw new ForbiddenException(missingScope(missing));
    return true;
  }
}
