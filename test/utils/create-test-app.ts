import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from 'src/app.module';
import { configureApp, createAdapter } from 'src/setup-app';

export const ADMIN = { username: 'root-admin', password: 'Adm1n-Passw0rd-For-Tests' };
export const STRONG_PASSWORD = 'correct-horse-battery-staple';

export interface TestApp {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  env: Record<string, string>;
  /** Every method and path the app registered (HEAD, Fastify's twin of each GET, left out). */
  routes: Array<{ method: string; url: string }>;
  close: () => Promise<void>;
}

/**
 * The real application on a throwaway SQLite file, with its own random JWT
 * secret and a bootstrapped admin. `env` overrides any variable.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'task-api-test-'));
  const settings: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: `sqlite:${join(dir, 'test.sqlite')}`,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    BCRYPT_COST: '10',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  };
  Object.assign(process.env, settings);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(settings.TRUST_PROXY === 'true'), {
    bodyParser: false,
    logger: ['error'],
  });
  await configureApp(app);
  const routes: TestApp['routes'] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
    });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    env: settings,
    routes,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
