import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { appConfig } from 'src/config/app.config';
import { authConfig } from 'src/config/auth.config';
import { databaseConfig } from 'src/config/database.config';
import { ConfigError } from 'src/config/env.validation';
import { DatabaseConnection } from 'src/database/database-connection';
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
  const logger = new Logger('Bootstrap');
  // The bound address: with PORT=0 the system picks the port.
  logger.log(`Listening on ${await app.getUrl()}/api`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown(app, logger, signal));
  }
  // The database opens in the background (readiness is 503 meanwhile); when that fails for good, exit 1.
  app
    .get(DatabaseConnection)
    .whenReady.then(() => logger.log('Database open: ready'))
    .catch((error: unknown) => {
      if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
      else logger.error(`Could not open the database: ${(error as Error).message}; exiting`);
      void app.close().finally(() => process.exit(1));
    });
}

/** How long requests in flight get to finish after a stop signal. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Stops accepting connections, lets requests in flight finish (up to 10 s),
 * closes the database and exits 0. Nest's own shutdown hooks would re-raise
 * the signal and exit 143.
 */
async function shutdown(app: NestFastifyApplication, logger: Logger, signal: string): Promise<void> {
  logger.log(`${signal} received: finishing requests in flight, then exiting`);
  const force = setTimeout(() => {
    logger.error(`Requests still running after ${SHUTDOWN_GRACE_MS / 1000} s; exiting anyway`);
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  await app.close();
  clearTimeout(force);
  process.exit(0);
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
