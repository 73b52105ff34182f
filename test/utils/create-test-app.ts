import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Logger } from 'nestjs-pino';
import { AppModule } from 'src/app.module';
import { appConfig } from 'src/config/app.config';
import { DatabaseConnection } from 'src/database/database-connection';
import { LOG_DESTINATION } from 'src/logging/logging.module';
import { freshDatabase } from './database';
import { configureApp, createAdapter } from 'src/setup-app';
import { buildOpenApi } from 'src/docs/openapi';
import { describeProblems, OpenApiValidator } from './openapi-validator';

export const ADMIN = { username: 'root-admin', password: 'Adm1n-Passw0rd-For-Tests' };
export const STRONG_PASSWORD = 'correct-horse-battery-staple';

/** Every variable the service reads. */
export const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'NODE_ENV',
  'DATABASE_URL',
  'DATABASE_CONNECT_ATTEMPTS',
  'DATABASE_CONNECT_BACKOFF_MS',
  'JWT_SECRET',
  'JWT_PRIVATE_KEY_FILE',
  'JWT_PUBLIC_KEY_FILE',
  'JWT_PREVIOUS_PUBLIC_KEY_FILES',
  'JWT_ACCESS_TTL',
  'JWT_REFRESH_TTL',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'BCRYPT_COST',
  'BCRYPT_MAX_PER_CLIENT',
  'BCRYPT_MAX_PER_USERNAME',
  'BCRYPT_MAX_BACKLOG',
  'LOGIN_MAX_FAILURES',
  'LOGIN_FAILURE_WINDOW',
  'RATE_LIMIT_PER_MINUTE',
  'WRITE_RATE_LIMIT_PER_MINUTE',
  'REDIS_URL',
  'REDIS_TIMEOUT_MS',
  'ADMIN_USERNAME',
  'ADMIN_PASSWORD',
  'CORS_ORIGINS',
  'TRUST_PROXY',
  'REQUEST_TIMEOUT',
  'HEADERS_TIMEOUT',
  'LOG_LEVEL',
  'PAT_HASH_KEY',
  'PAT_MAX_TTL_DAYS',
  'PAT_MAX_FAILURES',
  'AUDIT_RETENTION_DAYS',
  'MAX_TASKS_PER_USER',
  'MAX_SESSIONS_PER_USER',
  'METRICS_ENABLED',
  'METRICS_TOKEN',
];

export interface TestApp {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  env: Record<string, string>;
  /**
   * The JSON log lines written so far (the app logs to memory in tests). Only
   * for the first app of a test file: nestjs-pino keeps its root logger in a
   * module-level static, so later apps in the same file log into the first one's stream.
   */
  logs: () => Array<Record<string, unknown>>;
  /**
   * Answers that broke the OpenAPI document and no request made through `http()` has
   * failed on yet (e.g. sent to a raw socket); `close()` fails with them.
   */
  openApiViolations: string[];
  /** Every method and path the app registered, less HEAD (Fastify's twin of each GET) and CORS's OPTIONS preflight. */
  routes: Array<{ method: string; url: string }>;
  close: () => Promise<void>;
}

/** Apps being created, and the close of each app created, until it has closed. */
const creating = new Set<Promise<unknown>>();
const open = new Set<() => Promise<void>>();

/**
 * Closes every app of this test file that is still open, also one whose creation
 * was still running when its beforeAll timed out (test/utils/close-all.ts runs it
 * after each file), so a failing test never leaves a server that keeps Jest alive.
 */
export async function closeTestApps(): Promise<void> {
  await Promise.allSettled([...creating]);
  await Promise.allSettled([...open].map((close) => close()));
}

/**
 * The real application on a throwaway SQLite file, with its own random JWT
 * secret and a bootstrapped admin. `env` overrides any variable. With
 * `pending`, it returns without waiting for the database to open.
 */
export function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const created = startTestApp(env, options);
  creating.add(created);
  void created.finally(() => creating.delete(created)).catch(() => undefined);
  return created;
}

interface TestAppOptions {
  pending?: boolean;
  /** Runs before the routes are registered (e.g. to add a Fastify hook). */
  setup?: (app: NestFastifyApplication) => void;
}

async function startTestApp(env: Record<string, string>, options: TestAppOptions): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'task-api-test-'));
  const database = env.DATABASE_URL ? undefined : await freshDatabase(dir);
  const settings: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: database?.url ?? '',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    // bcrypt's cost is not what most tests test (~1 ms a hash instead of ~60 ms); test/timing sets 10.
    BCRYPT_COST: '4',
    // Suites share 127.0.0.1; the limits get their own spec (test/throttling.e2e-spec.ts).
    RATE_LIMIT_PER_MINUTE: '1000000',
    WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
    LOGIN_MAX_FAILURES: '1000',
    PAT_MAX_FAILURES: '1000',
    BCRYPT_MAX_PER_CLIENT: '1000',
    BCRYPT_MAX_PER_USERNAME: '1000',
    BCRYPT_MAX_BACKLOG: '1000',
    ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
    // A healthy Redis on a busy test machine can answer later than production's 50 ms; the specs about
    // Redis failing set their own (test/redis-down.e2e-spec.ts, test/faults/).
    REDIS_TIMEOUT_MS: '1000',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  };
  // Start from a clean slate: nothing a previous app in this file (or the shell) set may leak in.
  for (const name of CONFIG_VARIABLES) delete process.env[name];
  Object.assign(process.env, settings);
  const lines: string[] = [];
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(LOG_DESTINATION)
    .useValue({ write: (line: string) => lines.push(line) })
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(appConfig()), {
    bodyParser: false,
    bufferLogs: true,
  });
  let closing: Promise<void> | undefined;
  // Once only, whoever asks first (the spec's afterAll or closeTestApps).
  const close = () =>
    (closing ??= (async () => {
      try {
        await app.close();
      } finally {
        open.delete(close);
        await database?.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    })());
  open.add(close);
  app.useLogger(app.get(Logger));
  // Before configureApp, which registers routes of its own (GET /metrics, the docs).
  const routes: TestApp['routes'] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat())
        if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: route.url });
    });
  const violations: string[] = [];
  try {
    await configureApp(app);
    options.setup?.(app);
    // Last of the onSend hooks, so it sees the answer as it leaves.
    checkAnswersAgainstDocument(app, violations);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    // The database opens after init (with retries); a test starts once it is open, unless it asks not to wait.
    if (!options.pending) await app.get(DatabaseConnection).whenReady;
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return {
    app,
    env: settings,
    routes,
    logs: () =>
      lines
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    openApiViolations: violations,
    http: () => failingOnViolations(request(app.getHttpServer()), violations),
    close: async () => {
      await close();
      if (violations.length > 0) throw new Error(violations.splice(0).join('\n'));
    },
  };
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/**
 * Every answer this app sends, whoever asked, is checked against the OpenAPI document
 * (test/utils/openapi-validator.ts); what breaks it is collected, one clear message each.
 */
function checkAnswersAgainstDocument(app: NestFastifyApplication, violations: string[]): void {
  const validator = new OpenApiValidator(buildOpenApi(app));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (req, reply, payload, done) => {
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : '';
      const exchange = {
        method: req.method,
        url: req.url,
        route: req.is404 ? undefined : req.routeOptions.url,
        status: reply.statusCode,
        headers: reply.getHeaders(),
        body,
      };
      const problems =
        payload === null || typeof payload !== 'object' || Buffer.isBuffer(payload) ? validator.problems(exchange) : [];
      if (problems.length > 0) violations.push(describeProblems(exchange, problems));
      done(null, payload);
    });
}

/** A supertest agent whose every request fails, in the test that sent it, on an answer that broke the document. */
function failingOnViolations<T extends object>(agent: T, violations: string[]): T {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !HTTP_METHODS.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        (value as (...a: unknown[]) => request.Test).apply(target, args).expect(() => {
          if (violations.length > 0) throw new Error(violations.splice(0).join('\n'));
        });
    },
  });
}
