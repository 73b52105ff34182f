import { BadRequestException } from '@nestjs/common';
import sjson from 'secure-json-parse';

/** Deeper JSON than this is refused before it is parsed (the contract's limit). */
export const MAX_JSON_DEPTH = 32;

export const JsonBodyMessage = {
  empty: 'Body must not be empty when Content-Type is application/json',
  invalid: 'Body is not valid JSON',
  tooDeep: `Body must not nest deeper than ${MAX_JSON_DEPTH} levels`,
  forbiddenKey: 'Body must not contain "__proto__" or "constructor" keys',
} as const;

/**
 * The deepest nesting of arrays and objects in a JSON text, stopping early past
 * `limit`. A linear scan that skips string contents, so a 64 KiB body of
 * brackets costs microseconds, not a deep recursion in the parser.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return max;
}

/**
 * Fastify content parser for application/json: Fastify's own parser
 * (secure-json-parse, refusing prototype-poisoning keys) plus the depth limit,
 * with messages that name the problem.
 */
export function parseJsonBody(_req: unknown, body: string, done: (err: Error | null, value?: unknown) => void): void {
  if (body.trim() === '') return done(new BadRequestException(JsonBodyMessage.empty));
  if (jsonDepth(body) > MAX_JSON_DEPTH) return done(new BadRequestException(JsonBodyMessage.tooDeep));
  try {
    done(null, sjson.parse(body, undefined, { protoAction: 'error', constructorAction: 'error' }));
  } catch (error) {
    const forbidden = /forbidden (prototype|constructor) property/.test((error as Error).message);
    done(new BadRequestException(forbidden ? JsonBodyMessage.forbiddenKey : JsonBodyMessage.invalid));
  }
}
