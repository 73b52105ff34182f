import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { appConfig } from 'src/config/app.config';
import { authConfig } from 'src/config/auth.config';
import { databaseConfig } from 'src/config/database.config';
import { ConfigError } from 'src/config/env.validation';
import { createApp } from 'src/setup-app';

async function bootstrap(): Promise<void> {
  // Every setting is checked (and the dev JWT secret made) before Nest starts, so a bad one is one line.
  const { trustProxy } = appConfig();
  databaseConfig();
  authConfig();
  const app = await createApp(trustProxy);
  const config = app.get(ConfigService);
  const port = config.getOrThrow<number>('app.port');
  const host = config.getOrThrow<string>('app.host');
  await app.listen(port, host);
  new Logger('Bootstrap').log(`Listening on http://${host}:${port}/api`);
}

bootstrap().catch((error: unknown) => {
  // A bad setting is one line naming the variable; anything else keeps its detail for the operator.
  const message =
    error instanceof ConfigError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
