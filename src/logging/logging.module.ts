import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger as Pino } from 'pino';
import { appConfig } from 'src/config/app.config';

/** Where log lines go: stdout, written asynchronously. Tests swap in a memory stream. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** The application's pino logger: Nest's logger (nestjs-pino) and audit lines write through it, redacted. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * The access log's logger: same destination and level, without redaction, because an
 * access line is built only from fields that carry no secret (src/logging/access-log.ts);
 * redaction was over half of the line's cost.
 */
export const ACCESS_LOGGER = Symbol('ACCESS_LOGGER');

/** Anything that could let a reader act as the user: never logged. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.current_password',
  '*.new_password',
  '*.access_token',
  '*.refresh_token',
  '*.token',
];

const destinationProvider = {
  provide: LOG_DESTINATION,
  // Asynchronous writes in batches of 4 KiB: a busy log never stalls the event loop, and costs one
  // write per batch instead of one per line. A quiet log is flushed each second, and on exit by pino.
  useFactory: (): DestinationStream => {
    const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    setInterval(() => {
      if (!(destination as { destroyed?: boolean }).destroyed) destination.flush();
    }, 1000).unref();
    return destination;
  },
};

const rootLoggerProvider = {
  provide: ROOT_LOGGER,
  inject: [appConfig.KEY, LOG_DESTINATION],
  useFactory: (config: ConfigType<typeof appConfig>, destination: DestinationStream): Pino =>
    pino({ level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination),
};

const accessLoggerProvider = {
  provide: ACCESS_LOGGER,
  inject: [appConfig.KEY, LOG_DESTINATION],
  useFactory: (config: ConfigType<typeof appConfig>, destination: DestinationStream): Pino =>
    pino({ level: config.logLevel }, destination),
};

@Module({
  providers: [destinationProvider, rootLoggerProvider, accessLoggerProvider],
  exports: [LOG_DESTINATION, ROOT_LOGGER, ACCESS_LOGGER],
})
class RootLoggerModule {}

/**
 * JSON logs through nestjs-pino: Nest's own logger and PinoLogger write to the
 * root logger. nestjs-pino's per-request middleware is not mounted (`forRoutes:
 * []`): on Node 20 its pino-http child logger and AsyncLocalStorage context cost
 * ~115 µs of CPU per request, measured, about 40% of GET /api/me. The access
 * line comes from a Fastify hook instead (src/logging/access-log.ts), and audit
 * lines carry their request id explicitly (AuditService).
 */
@Module({
  imports: [
    RootLoggerModule,
    LoggerModule.forRootAsync({
      imports: [RootLoggerModule],
      inject: [ROOT_LOGGER],
      useFactory: (logger: Pino) => ({ pinoHttp: { logger }, forRoutes: [] }),
    }),
  ],
  exports: [LoggerModule, RootLoggerModule],
})
export class LoggingModule {}
