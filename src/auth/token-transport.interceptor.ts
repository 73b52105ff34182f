import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';
import {
  ACCESS_COOKIE,
  ACCESS_COOKIE_PATH,
  CSRF_COOKIE,
  CSRF_COOKIE_PATH,
  issueCsrfToken,
  REFRESH_COOKIE,
  REFRESH_COOKIE_PATH,
  RequestLike,
} from 'src/auth/guards/cookies';
import { toCookieTokenResponse, toTokenResponse } from 'src/auth/dto/token-response';
import { EndedSession, IssuedTokens } from 'src/auth/issued-tokens';
import { JwtKeys } from 'src/auth/jwt-keys';

/**
 * Writes issued tokens as the contract's body, or for cookie clients as
 * HttpOnly cookies plus a readable CSRF cookie; clears them when a session ends.
 * Keeps the reply object out of controllers.
 */
@Injectable()
export class TokenTransportInterceptor implements NestInterceptor {
  constructor(private readonly keys: JwtKeys) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((result: unknown) => {
        if (result instanceof IssuedTokens) {
          reply.header('Cache-Control', 'no-store');
          if (!result.cookies) return toTokenResponse(result.pair);
          this.setCookies(reply, result);
          return toCookieTokenResponse(result.pair);
        }
        if (result instanceof EndedSession) {
          const cookies = http.getRequest<RequestLike>().cookies ?? {};
          if (cookies[ACCESS_COOKIE] || cookies[REFRESH_COOKIE] || cookies[CSRF_COOKIE]) this.clearCookies(reply);
          return undefined;
        }
        return result;
      }),
    );
  }

  private setCookies(reply: FastifyReply, issued: IssuedTokens): void {
    const secure = { secure: true, sameSite: 'strict' as const };
    const { pair } = issued;
    reply.setCookie(ACCESS_COOKIE, pair.accessToken, {
      ...secure,
      httpOnly: true,
      path: ACCESS_COOKIE_PATH,
      maxAge: pair.expiresIn,
    });
    reply.setCookie(REFRESH_COOKIE, pair.refreshToken, {
      ...secure,
      httpOnly: true,
      path: REFRESH_COOKIE_PATH,
      maxAge: pair.refreshExpiresIn,
    });
    // Readable by the page's script, which echoes it in X-CSRF-Token.
    reply.setCookie(CSRF_COOKIE, issueCsrfToken(this.keys.csrfKey, issued.sessionId), {
      ...secure,
      httpOnly: false,
      path: CSRF_COOKIE_PATH,
      maxAge: pair.refreshExpiresIn,
    });
  }

  private clearCookies(reply: FastifyReply): void {
    const secure = { secure: true, sameSite: 'strict' as const };
    reply.clearCookie(ACCESS_COOKIE, { ...secure, httpOnly: true, path: ACCESS_COOKIE_PATH });
    reply.clearCookie(REFRESH_COOKIE, { ...secure, httpOnly: true, path: REFRESH_COOKIE_PATH });
    reply.clearCookie(CSRF_COOKIE, { ...secure, path: CSRF_COOKIE_PATH });
  }
}
