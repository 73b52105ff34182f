// The typed client of task-api: types generated from the OpenAPI document by
// openapi-typescript (client/schema.d.ts, `npm run client`), requests made by openapi-fetch.
import createClient, { type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';
export type Schemas = components['schemas'];

/** A client for one service at `baseUrl` (e.g. http://127.0.0.1:3000); `headers` go on every request. */
export function createTaskApiClient(baseUrl: string, options: Omit<ClientOptions, 'baseUrl'> = {}) {
  return createClient<paths>({ ...options, baseUrl });
}

export type TaskApiClient = ReturnType<typeof createTaskApiClient>;
