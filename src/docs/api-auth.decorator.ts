import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import { BEARER, COOKIE, REFRESH_BEARER, REFRESH_COOKIE } from 'src/docs/openapi';

/** OpenAPI: this route takes an access token in the Authorization header or, for browsers, the cookie. */
export const ApiAuth = () => applyDecorators(ApiBearerAuth(BEARER), ApiCookieAuth(COOKIE));

/** OpenAPI: this route takes the refresh token, as a bearer token or in its cookie. */
export const ApiRefreshAuth = () => applyDecorators(ApiBearerAuth(REFRESH_BEARER), ApiCookieAuth(REFRESH_COOKIE));
