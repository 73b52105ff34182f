import { BadRequestException } from '@nestjs/common';
import sjson from 'secure-json-parse';

/** Deeper JSON than this is refused before it is parsed (the contract's limit). */
export const MAX_JSON_DEPTH = 32;

/**
 * More keys and values than this are refused before the body is parsed (the contract's limit).
 * The largest body a route takes has under 10; validation and class-transformer cost grows with
 * the node count (20,000 empty objects cost up to 1 s), and at this bound any 64 KiB body stays
 * within a few milliseconds of event loop (npm run bench, "worst bodies").
 */
export const MAX_JSON_NODES = 256;

/** Fields whose text may span lines: tab, CR and LF are allowed there, other C0 controls nowhere. */
const TEXT_FIELDS = new Set(['description']);

export const JsonBodyMessage = {
  empty: 'Body must not be empty when Content-Type is application/json',
  invalid: 'Body is not valid JSON',
  tooDeep: `Body must not nest deeper than ${MAX_JSON_DEPTH} levels`,
  tooManyNodes: `Body must not hold more than ${MAX_JSON_NODES} keys and values`,
  forbiddenKey: 'Body must not contain "__proto__" or "constructor" keys',
  controlInKey: 'Body keys must not contain control characters',
  control: (field: string) => `${field} must not contain control characters`,
} as const;

export interface JsonShape {
  /** The deepest nesting of arrays and objects, counted until it passes the depth limit. */
  depth: number;
  /** Keys plus values (containers included), counted until it passes the node limit. */
  nodes: number;
}

/**
 * The shape of a JSON text, in one linear scan that skips string contents and
 * stops as soon as either limit is passed. Hand-written because JSON.parse has no
 * limits and a reviver runs only after the whole body is built; this costs
 * microseconds for 64 KiB, so an expensive body is refused before any object of it exists.
 * Every key is followed by `:`, every object member or array element is a value:
 * nodes = 1 (the root) + 2 × colons + array elements.
 */
export function jsonShape(text: string, maxDepth = MAX_JSON_DEPTH, maxNodes = MAX_JSON_NODES): JsonShape {
  let depth = 0;
  let maxSeen = 0;
  let nodes = 1;
  let inString = false;
  // Whether each open container is an array (bounded by maxDepth + 1 entries).
  const arrays: boolean[] = [];
  let arrayJustOpened = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (arrayJustOpened) {
      arrayJustOpened = false;
      if (c !== 0x5d) nodes++; // the first element of a non-empty array
    }
    if (c === 0x22) inString = true;
    else if (c === 0x3a) nodes += 2;
    else if (c === 0x2c) {
      if (arrays[depth - 1]) nodes++;
    } else if (c === 0x7b || c === 0x5b) {
      arrays[depth] = c === 0x5b;
      arrayJustOpened = c === 0x5b;
      if (++depth > maxSeen && (maxSeen = depth) > maxDepth) break;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
    if (nodes > maxNodes) break;
  }
  return { depth: maxSeen, nodes };
}

// C0 controls (U+0000-U+001F); the second also spares tab, LF and CR.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const C0 = /[\u0000-\u001f]/;
// eslint-disable-next-line no-control-regex -- as above
const C0_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/**
 * The first string that holds a control character, as a message naming its field
 * (`title`, `items.0.name`). PostgreSQL cannot store NUL and SQLite would, so this
 * is refused for both, before validation. The walk is bounded by MAX_JSON_NODES.
 */
export function controlCharacterProblem(value: unknown, path = '', field = ''): string | null {
  if (typeof value === 'string') {
    const pattern = TEXT_FIELDS.has(field) ? C0_BUT_LINES : C0;
    return pattern.test(value) ? JsonBodyMessage.control(path || 'body') : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = controlCharacterProblem(value[i], path ? `${path}.${i}` : String(i), field);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (C0.test(key)) return JsonBodyMessage.controlInKey;
    const problem = controlCharacterProblem(item, path ? `${path}.${key}` : key, key);
    if (problem) return problem;
  }
  return null;
}

/**
 * Fastify content parser for application/json: the depth and node limits, then
 * Fastify's own parser (secure-json-parse, refusing prototype-poisoning keys),
 * then control characters, with messages that name the problem.
 */
export function parseJsonBody(_req: unknown, body: string, done: (err: Error | null, value?: unknown) => void): void {
  if (body.trim() === '') return done(new BadRequestException(JsonBodyMessage.empty));
  const shape = jsonShape(body);
  if (shape.depth > MAX_JSON_DEPTH) return done(new BadRequestException(JsonBodyMessage.tooDeep));
  if (shape.nodes > MAX_JSON_NODES) return done(new BadRequestException(JsonBodyMessage.tooManyNodes));
  let value: unknown;
  try {
    value = sjson.parse(body, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const forbidden = /forbidden (prototype|constructor) property/.test((error as Error).message);
    return done(new BadRequestException(forbidden ? JsonBodyMessage.forbiddenKey : JsonBodyMessage.invalid));
  }
  const problem = controlCharacterProblem(value);
  // An array of messages, like every other validation failure.
  if (problem) return done(new BadRequestException([problem]));
  done(null, value);
}
