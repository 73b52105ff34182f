import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { PAT_SCHEME, PAT_SCOPES_EXTENSION, Scope } from 'src/auth/scope.enum';

export const SCOPES_KEY = 'patScopes';

/**
 * `@Scopes(Scope.TasksRead)`: a personal access token may call this route when it
 * carries every scope listed. Routes without it refuse personal access tokens.
 */
export const Scopes = (...scopes: [Scope, ...Scope[]]) =>
  applyDecorators(SetMetadata(SCOPES_KEY, scopes), ApiSecurity(PAT_SCHEME), ApiExtension(PAT_SCOPES_EXTENSION, scopes));

/** Any personal access token may call this route, whatever its scopes (GET /api/me). */
export const AnyScope = () =>
  applyDecorators(SetMetadata(SCOPES_KEY, []), ApiSecurity(PAT_SCHEME), ApiExtension(PAT_SCOPES_EXTENSION, []));
