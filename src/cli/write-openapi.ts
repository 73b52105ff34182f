import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { AppModule } from 'src/app.module';
import { buildOpenApi } from 'src/docs/openapi';
import { createAdapter } from 'src/setup-app';

/**
 * Writes the OpenAPI document to the file named by the first argument (`npm run openapi`).
 * Preview mode scans the modules without instantiating providers: no database, no secret.
 */
async function main(file: string): Promise<void> {
  const app = await NestFactory.create(
    AppModule,
    createAdapter({ trustProxy: 0, requestTimeoutMs: 0, headersTimeoutMs: 0 }),
    { preview: true, logger: false },
  );
  app.setGlobalPrefix('api', { exclude: ['.well-known/jwks.json'] });
  writeFileSync(file, `${JSON.stringify(buildOpenApi(app), null, 2)}\n`);
  await app.close();
}

void main(process.argv[2] ?? 'openapi.json');
