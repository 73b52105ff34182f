import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { Scope } from 'src/auth/scope.enum';
import { PAT } from 'src/docs/openapi';

export const SCOPES_KEY = 'patScopes';

/**
 * `@Scopes(Scope.TasksRead)`: a personal access token may call this route when it
 * carries every scope listed. Routes without it refuse personal access tokens.
 */
export const Scopes = (...scopes: [Scope, ...Scope[]]) =>
  applyDecorators(SetMetadata(SCOPES_KEY, scopes), ApiSecurity(PAT), ApiExtension('x-pat-scopes', scopes));

/** Any personal access token may call this route, whatever its scopes (GET /api/me). */
export const AnyScope = () =>
  applyDecorators(SetMetadata(SCOPES_KEY, []), ApiSecurity(PAT), ApiExtension('x-pat-scopes', []));
