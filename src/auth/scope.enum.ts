import { Role } from 'src/auth/role.enum';

/** What a personal access token may do; a route lists the scopes it needs with `@Scopes(...)`. */
export enum Scope {
  TasksRead = 'tasks:read',
  TasksWrite = 'tasks:write',
  ProductsRead = 'products:read',
  ProductsWrite = 'products:write',
  UsersRead = 'users:read',
}

/** The OpenAPI security scheme of personal access tokens (declared in src/docs/openapi.ts). */
export const PAT_SCHEME = 'pat';

/** The operation extension listing the scopes a personal access token needs (read back by src/docs/openapi.ts). */
export const PAT_SCOPES_EXTENSION = 'x-pat-scopes';

/** Scopes only an admin may put on a token (the roles guard still checks the role on every use). */
export const ADMIN_SCOPES: readonly Scope[] = [Scope.ProductsWrite, Scope.UsersRead];

export const scopesFor = (role: Role): Scope[] =>
  Object.values(Scope).filter((s) => role === Role.Admin || !ADMIN_SCOPES.includes(s));
