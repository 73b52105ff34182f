import { Transform, Writable } from 'node:stream';
import pino from 'pino';
import { logDestination, prettyDestination, rootLoggerOptions } from 'src/logging/logging.module';

describe('log destination', () => {
  it('is pino-pretty only in development with a terminal on stdout', () => {
    expect(logDestination({ development: true }, true)).toBeInstanceOf(Transform);
    expect(logDestination({ development: true }, false)).not.toBeInstanceOf(Transform);
    expect(logDestination({ development: false }, true)).not.toBeInstanceOf(Transform);
  });

  it('pretty lines are for people and redact what JSON lines redact', async () => {
    let text = '';
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    });
    const logger = pino(rootLoggerOptions('info'), prettyDestination(out));
    logger.info(
      { req: { headers: { authorization: 'Bearer secret-access-token' } }, body: { password: 'hunter2-hunter2' } },
      'login attempt',
    );
    for (let i = 0; i < 50 && !text.includes('login attempt'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(text).toMatch(/INFO.*login attempt/);
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('secret-access-token');
    expect(text).not.toContain('hunter2');
  });
});
