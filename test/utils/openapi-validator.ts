import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

/** One answer as the service sent it. */
export interface Exchange {
  method: string;
  /** The concrete path, e.g. /api/tasks/12 (a query string is ignored). */
  url: string;
  /** The route pattern the server matched (/api/tasks/:id), when known; else found from the document. */
  route?: string;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The raw body text ('' when none). */
  body: string;
}

/** Headers every answer may carry that belong to HTTP, CORS or the security policy, not to one operation. */
const TRANSPORT_HEADERS = new Set([
  'content-type',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'cache-control',
  'vary',
  'x-request-id',
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]);

/**
 * Paths served outside the OpenAPI document on purpose, each with its reason; their
 * answers are not checked. Swagger UI and the document itself are the first.
 */
export const UNDOCUMENTED: Array<{ prefix: string; reason: string }> = [
  { prefix: '/api/docs', reason: 'Swagger UI and the document itself' },
  { prefix: '/metrics', reason: "Prometheus' text exposition for the operator's scraper, not part of the REST API" },
];

type Responses = Record<string, { headers?: Record<string, Header>; content?: Record<string, unknown> }>;
interface Header {
  required?: boolean;
  schema?: Record<string, unknown>;
}

/** JSON pointer escaping (RFC 6901). */
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks answers against the OpenAPI document with Ajv, the schemas read straight from
 * the document: the status must be declared for the operation, a JSON body must match its
 * schema, a 204 must be empty, declared headers must be present (when required) and
 * well-formed, and no header beyond those above may appear unless the document declares it.
 */
export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly matchers: Array<{ regex: RegExp; path: string }>;

  constructor(private readonly document: OpenAPIObject) {
    // The document's own keywords (example, nullable, ...) are OpenAPI's, not JSON Schema's.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, multipleOfPrecision: 9 });
    addFormats(this.ajv);
    this.ajv.addFormat('password', true);
    this.ajv.addSchema(document, 'openapi');
    this.matchers = Object.keys(document.paths).map((path) => ({
      path,
      regex: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
  }

  /** Every way the answer breaks the document; empty when it conforms. */
  problems(exchange: Exchange): string[] {
    const path = exchange.url.split('?', 1)[0];
    const method = exchange.method.toLowerCase();
    if (
      UNDOCUMENTED.some((u) => path === u.prefix || path.startsWith(`${u.prefix}/`) || path.startsWith(`${u.prefix}-`))
    ) {
      return [];
    }
    if (method === 'options') return []; // CORS preflight
    const docPath = exchange.route
      ? exchange.route.replace(/:(\w+)/g, '{$1}')
      : this.matchers.find((m) => m.regex.test(path))?.path;
    const pathItem = docPath ? (this.document.paths[docPath] as Record<string, { responses: Responses }>) : undefined;
    const operation = pathItem?.[method === 'head' ? 'get' : method];
    if (!operation) return this.outsideOperations(exchange, Boolean(pathItem));
    const response = operation.responses[String(exchange.status)];
    if (!response) {
      return [`status ${exchange.status} is not declared (declared: ${Object.keys(operation.responses).join(', ')})`];
    }
    const where = pointer(
      'paths',
      docPath as string,
      method === 'head' ? 'get' : method,
      'responses',
      String(exchange.status),
    );
    const problems = this.headerProblems(exchange, response.headers ?? {}, `${where}/headers`);
    if (method === 'head') return problems;
    return [...problems, ...this.bodyProblems(exchange, response.content, `${where}/content`)];
  }

  /** Answers outside any operation: unknown paths (404) and known paths asked with another method (405). */
  private outsideOperations(exchange: Exchange, knownPath: boolean): string[] {
    const problems: string[] = [];
    if (knownPath && exchange.status === 405) {
      if (!exchange.headers.allow) problems.push('a 405 without an Allow header');
    } else if (exchange.status !== 404 || knownPath) {
      return [`no operation in the document answers ${exchange.method.toUpperCase()} with ${exchange.status}`];
    }
    return [...problems, ...this.errorBodyProblems(exchange)];
  }

  private errorBodyProblems(exchange: Exchange): string[] {
    return this.jsonProblems(exchange, pointer('components', 'schemas', 'ErrorResponse'));
  }

  private bodyProblems(exchange: Exchange, content: Record<string, unknown> | undefined, where: string): string[] {
    if (!content)
      return exchange.body === '' ? [] : [`a body where the document declares none: ${exchange.body.slice(0, 200)}`];
    return this.jsonProblems(exchange, `${where}/${pointer('application/json', 'schema')}`);
  }

  private jsonProblems(exchange: Exchange, schemaPointer: string): string[] {
    const type = String(exchange.headers['content-type'] ?? '');
    if (!type.startsWith('application/json')) return [`content-type is "${type}", the document says application/json`];
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return [`the body is not JSON: ${exchange.body.slice(0, 200)}`];
    }
    const validate = this.validator(schemaPointer);
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `body${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    );
  }

  private headerProblems(exchange: Exchange, declared: Record<string, Header>, where: string): string[] {
    const problems: string[] = [];
    const byName = new Map(Object.entries(declared).map(([name, header]) => [name.toLowerCase(), { name, header }]));
    for (const [name, { header }] of byName) {
      if (header.required && exchange.headers[name] === undefined)
        problems.push(`header ${name} is required but absent`);
    }
    for (const [name, value] of Object.entries(exchange.headers)) {
      if (value === undefined || TRANSPORT_HEADERS.has(name) || name.startsWith('access-control-')) continue;
      const entry = byName.get(name);
      if (!entry) {
        problems.push(`header ${name} is not declared`);
        continue;
      }
      const schema = entry.header.schema ?? {};
      const validate = this.validator(`${where}/${pointer(entry.name, 'schema')}`);
      for (const one of [value].flat()) {
        const typed = schema.type === 'integer' || schema.type === 'number' ? Number(one) : String(one);
        if (!validate(typed))
          problems.push(
            `header ${name} "${String(one)}" ${this.ajv.errorsText(validate.errors, { dataVar: 'value' })}`,
          );
      }
    }
    return problems;
  }

  private validator(schemaPointer: string): ValidateFunction {
    let validate = this.compiled.get(schemaPointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi#/${schemaPointer}` });
      this.compiled.set(schemaPointer, validate);
    }
    return validate;
  }
}

/** The message a broken answer fails its test with: route, status, and what mismatched. */
export function describeProblems(exchange: Exchange, problems: string[]): string {
  return [
    `The answer to ${exchange.method.toUpperCase()} ${exchange.url} (${exchange.status}) does not match the OpenAPI document:`,
    ...problems.map((p) => `  - ${p}`),
    'Document the route (README, "OpenAPI and the typed client") or fix the answer.',
  ].join('\n');
}
