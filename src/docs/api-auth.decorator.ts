import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import { BEARER, COOKIE } from 'src/docs/openapi';

/** OpenAPI: this route takes a token in the Authorization header or, for browsers, the cookie. */
export const ApiAuth = () => applyDecorators(ApiBearerAuth(BEARER), ApiCookieAuth(COOKIE));
