import { ExecutionContext, HttpException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ACCESS_COOKIE, REFRESH_COOKIE, RequestLike } from 'src/auth/guards/cookies';
import { TokenMessage, tokenError } from 'src/auth/guards/token-errors';
import { IS_PUBLIC_KEY } from 'src/auth/decorators/public.decorator';
import { looksLikePat } from 'src/auth/guards/pat-prefix';
import { dependencyFailure } from 'src/common/dependencies/dependency-failure';

type Headers = Record<string, string | string[] | undefined>;

/**
 * The header checks that come before any token is looked at, in the contract's
 * order. With no header, an auth cookie (`hasCookie`) stands in for it.
 */
export function bearerProblem(headers: Headers, hasCookie = false): string | null {
  const header = headers.authorization;
  if (header === undefined && hasCookie) return null;
  if (header === undefined || header === '') return TokenMessage.missingHeader;
  if (typeof header !== 'string' || !/^bearer +\S+$/i.test(header.trim())) return TokenMessage.notBearer;
  return null;
}

/** Passport's failures, mapped to the contract's messages instead of its bare 401. */
function mapPassportFailure<T>(
  err: unknown,
  user: T | false,
  info: unknown,
  context: ExecutionContext,
  cookie: string,
): T {
  // The database failing while the session is looked up says nothing about the token: 503, not 401.
  if (dependencyFailure(err)) throw err;
  // A 429 from the token limiter (or any other HTTP answer a strategy chose) stands as it is.
  if (err instanceof HttpException) throw err;
  if (err) throw tokenError(err);
  if (user) return user;
  const req = context.switchToHttp().getRequest<RequestLike>();
  const problem = bearerProblem(req.headers, Boolean(req.cookies?.[cookie]));
  throw problem ? new UnauthorizedException(problem) : tokenError(info);
}

/** The bearer credential when it has the personal-access-token prefix, else null. */
function personalToken(headers: Headers): string | null {
  const credential = /^bearer +(\S+)$/i.exec(
    typeof headers.authorization === 'string' ? headers.authorization.trim() : '',
  );
  return credential && looksLikePat(credential[1]) ? credential[1] : null;
}

/** Personal access tokens, through their own strategy; the global guard delegates to it. */
@Injectable()
export class PatAuthGuard extends AuthGuard('pat') {
  handleRequest<T>(err: unknown, user: T | false, info: unknown, context: ExecutionContext): T {
    return mapPassportFailure(err, user, info, context, ACCESS_COOKIE);
  }
}

/**
 * Global: every route needs a valid access token unless it is `@Public()`. A
 * bearer credential with the personal-access-token prefix goes to the PAT
 * strategy instead of the JWT one (then ScopesGuard decides which routes it reaches).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly pat = new PatAuthGuard();

  constructor(private readonly reflector: Reflector) {
    super();
  }

  canActivate(context: ExecutionContext) {
    const open = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (open) return true;
    const req = context.switchToHttp().getRequest<RequestLike>();
    return personalToken(req.headers) ? this.pat.canActivate(context) : super.canActivate(context);
  }

  handleRequest<T>(err: unknown, user: T | false, info: unknown, context: ExecutionContext): T {
    return mapPassportFailure(err, user, info, context, ACCESS_COOKIE);
  }
}

/** For /api/refresh: a refresh token instead of an access token. */
@Injectable()
export class JwtRefreshGuard extends AuthGuard('jwt-refresh') {
  handleRequest<T>(err: unknown, user: T | false, info: unknown, context: ExecutionContext): T {
    return mapPassportFailure(err, user, info, context, REFRESH_COOKIE);
  }
}
