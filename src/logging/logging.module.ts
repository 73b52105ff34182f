import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import { appConfig } from 'src/config/app.config';

/** Where log lines go: stdout, written asynchronously. Tests swap in a memory stream. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

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

@Module({
  providers: [destinationProvider],
  exports: [LOG_DESTINATION],
})
class LogDestinationModule {}

/** JSON logs through nestjs-pino, one line per request with its id, secrets redacted. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [LogDestinationModule],
      inject: [appConfig.KEY, LOG_DESTINATION],
      useFactory: (config: ConfigType<typeof appConfig>, destination: DestinationStream) => ({
        pinoHttp: [
          {
            level: config.logLevel,
            // Fastify already chose the id (a sane X-Request-Id, else a UUID) and put it on the raw request.
            genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
            // Lines logged while handling a request carry its id only, not the whole request.
            quietReqLogger: true,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
            serializers: {
              req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
                remoteAddress: req.remoteAddress,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
          destination,
        ],
      }),
    }),
  ],
  exports: [LoggerModule],
})
export class LoggingModule {}
