import { controlCharacterProblem, jsonShape, MAX_JSON_NODES, parseJsonBody } from 'src/common/json-body';

function parse(body: string): { error?: { getResponse(): unknown }; value?: unknown } {
  let result: { error?: { getResponse(): unknown }; value?: unknown } = {};
  parseJsonBody(undefined, body, (error, value) => {
    result = { error: (error as unknown as { getResponse(): unknown }) ?? undefined, value };
  });
  return result;
}

describe('jsonShape', () => {
  it.each([
    ['1', 1, 0],
    ['"a,b:[c"', 1, 0],
    ['[]', 1, 1],
    ['[1]', 2, 1],
    ['[1, 2, 3]', 4, 1],
    ['{}', 1, 1],
    ['{"a": 1}', 3, 1],
    ['{"a": 1, "b": [true, {"c": null}], "d": []}', 11, 3],
    ['[[], [[]], {}]', 5, 3],
    ['{"s": "x\\"y:,["}', 3, 1],
  ])('%s has %i nodes and depth %i', (text, nodes, depth) => {
    expect(jsonShape(text)).toEqual({ nodes, depth });
    expect(jsonShape(text).nodes).toBe(countNodes(JSON.parse(text)));
  });

  it('stops counting just past the node limit, whatever the body size', () => {
    const body = `{"x":[${Array(20_000).fill('{}').join(',')}]}`;
    expect(jsonShape(body).nodes).toBe(MAX_JSON_NODES + 1);
  });
});

describe('parseJsonBody', () => {
  it('refuses more than MAX_JSON_NODES keys and values before parsing, as 400', () => {
    const atLimit = JSON.stringify({ x: Array(MAX_JSON_NODES - 3).fill(0) });
    expect(countNodes(JSON.parse(atLimit))).toBe(MAX_JSON_NODES);
    expect(parse(atLimit).value).toEqual(JSON.parse(atLimit));
    const over = JSON.stringify({ x: Array(MAX_JSON_NODES - 2).fill(0) });
    expect(parse(over).error?.getResponse()).toMatchObject({
      statusCode: 400,
      message: `Body must not hold more than ${MAX_JSON_NODES} keys and values`,
    });
  });

  it.each([
    [{ title: 'a\u0000b' }, 'title must not contain control characters'],
    [{ username: 'bob\u001b' }, 'username must not contain control characters'],
    [{ title: 'two\nlines' }, 'title must not contain control characters'],
    [{ password: 'tab\there-and-more' }, 'password must not contain control characters'],
    [{ description: 'ok\ttab\r\nand lines', title: 'x\u0007' }, 'title must not contain control characters'],
    [{ description: 'nul \u0000' }, 'description must not contain control characters'],
    [{ items: [{ name: 'ok' }, { name: 'a\u0001' }] }, 'items.1.name must not contain control characters'],
    [{ 'k\u0000': 1 }, 'Body keys must not contain control characters'],
  ])('refuses control characters in %j naming the field', (body, message) => {
    expect(parse(JSON.stringify(body)).error?.getResponse()).toMatchObject({ statusCode: 400, message: [message] });
  });

  it('keeps tab, CR and LF in a description, and printable Unicode everywhere', () => {
    const body = { title: 'Ünïcødé ✓ \u2028 \u0085', description: 'line one\r\n\tline two' };
    expect(controlCharacterProblem(body)).toBeNull();
    expect(parse(JSON.stringify(body)).value).toEqual(body);
  });
});

function countNodes(value: unknown): number {
  if (Array.isArray(value)) return 1 + value.reduce((n: number, v) => n + countNodes(v), 0);
  if (typeof value === 'object' && value !== null)
    return 1 + Object.values(value).reduce((n: number, v) => n + 1 + countNodes(v), 0);
  return 1;
}
