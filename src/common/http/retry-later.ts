import { HttpException, HttpStatus } from '@nestjs/common';

export const TOO_MANY_REQUESTS = 'Too many requests';
export const SERVER_BUSY = 'Server busy, try again later';

/** 429 with the contract's message; the exception filter turns `retryAfter` into the Retry-After header. */
export class TooManyRequestsException extends HttpException {
  constructor(retryAfterSeconds: number) {
    super(
      { statusCode: 429, message: TOO_MANY_REQUESTS, retryAfter: Math.max(1, retryAfterSeconds) },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** 503 for work refused because the whole service is saturated (no one client's doing), with Retry-After. */
export class ServerBusyException extends HttpException {
  constructor(retryAfterSeconds: number) {
    super(
      { statusCode: 503, message: SERVER_BUSY, retryAfter: Math.max(1, retryAfterSeconds) },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}
