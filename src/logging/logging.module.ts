import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger as Pino } from 'pino';
import pinoPretty from 'pino-pretty';
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

/**
 * Lines for a person: in development with stdout a terminal, pino-pretty renders each line
 * (level, time, message, fields), after pino has redacted it, so both forms hide the same.
 */
export function prettyDestination(out: NodeJS.WritableStream | number = 1): DestinationStream {
  return pinoPretty({ destination: out, colorize: typeof out === 'number', ignore: 'pid,hostname', sync: true });
}

/**
 * Asynchronous writes in batches of 4 KiB: a busy log never stalls the event loop, and costs one
 * write per batch instead of one per line. A quiet log is flushed each second, and on exit by pino.
 */
function jsonDestination(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    if (!(destination as { destroyed?: boolean }).destroyed) destination.flush();
  }, 1000).unref();
  return destination;
}

/** Pretty in development at a terminal; JSON lines everywhere else (production, tests, a pipe or a file). */
export function logDestination(
  config: Pick<ConfigType<typeof appConfig>, 'development'>,
  isTTY = process.stdout.isTTY === true,
): DestinationStream {
  return config.development && isTTY ? prettyDestination() : jsonDestination();
}

/** The root logger's options: its level and what it never writes. */
export const rootLoggerOptions = (level: string): pino.LoggerOptions => ({
  level,
  redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
});

const destinationProvider = {
  provide: LOG_DESTINATION,
  inject: [appConfig.KEY],
  useFactory: (config: ConfigType<typeof appConfig>): DestinationStream => logDestination(config),
};

const rootLoggerProvider = {
  provide: ROOT_LOGGER,
  inject: [appConfig.KEY, LOG_DESTINATION],
  useFactory: (config: ConfigType<typeof appConfig>, destination: DestinationStream): Pino =>
    pino(rootLoggerOptions(config.logLevel), destination),
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
