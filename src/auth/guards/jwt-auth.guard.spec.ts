import { Controller, ExecutionContext, Get, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public } from 'src/auth/decorators/public.decorator';
import { bearerProblem, JwtAuthGuard } from 'src/auth/guards/jwt-auth.guard';

@Controller()
class Sample {
  @Public() @Get() open() {}
  @Get() closed() {}
}

const context = (handler: keyof Sample, headers: Record<string, string> = {}) =>
  ({
    getHandler: () => Sample.prototype[handler],
    getClass: () => Sample,
    switchToHttp: () => ({ getRequest: () => ({ headers }), getResponse: () => ({}) }),
    getType: () => 'http',
  }) as unknown as ExecutionContext;

describe('JwtAuthGuard', () => {
  const guard = new JwtAuthGuard(new Reflector());

  it('opens a @Public() route without a token', () => {
    expect(guard.canActivate(context('open'))).toBe(true);
  });

  describe('handleRequest maps failures to the contract messages', () => {
    const fail = (info: unknown, headers: Record<string, string> = { authorization: 'Bearer x.y.z' }) => {
      try {
        guard.handleRequest(null, false, info, context('closed', headers));
      } catch (e) {
        return (e as UnauthorizedException).message;
      }
      throw new Error('did not throw');
    };
    const jwtError = (name: string, message: string) => Object.assign(new Error(message), { name });

    it.each([
      [jwtError('TokenExpiredError', 'jwt expired'), 'Token has expired'],
      [jwtError('JsonWebTokenError', 'invalid signature'), 'Signature verification failed'],
      [jwtError('JsonWebTokenError', 'invalid algorithm'), 'Signature verification failed'],
      [jwtError('JsonWebTokenError', 'jwt signature is required'), 'Signature verification failed'],
      [jwtError('JsonWebTokenError', 'jwt malformed'), 'Invalid token'],
      [jwtError('JsonWebTokenError', 'jwt audience invalid. expected: x'), 'Invalid token'],
      [jwtError('JsonWebTokenError', 'jwt issuer invalid. expected: x'), 'Invalid token'],
      [jwtError('NotBeforeError', 'jwt not active'), 'Invalid token'],
    ])('%s → %s', (info, message) => {
      expect(fail(info)).toBe(message);
    });

    it('passes on an UnauthorizedException thrown by validate()', () => {
      expect(() =>
        guard.handleRequest(new UnauthorizedException('Token has been revoked'), false, undefined, context('closed')),
      ).toThrow('Token has been revoked');
    });

    it('passes on a database failure in validate() (a 503 for the filter), never a token error', () => {
      const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      });
      expect(() => guard.handleRequest(terminated, false, undefined, context('closed'))).toThrow(terminated);
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      expect(() => guard.handleRequest(refused, false, undefined, context('closed'))).toThrow(refused);
    });

    it('returns the user when passport found one', () => {
      expect(guard.handleRequest(null, { id: 1 }, undefined, context('closed'))).toEqual({ id: 1 });
    });
  });

  describe('bearerProblem', () => {
    it.each([
      [{}, 'Missing Authorization Header'],
      [{ authorization: '' }, 'Missing Authorization Header'],
      [{ authorization: 'Basic abc' }, "Missing 'Bearer' type in 'Authorization' header"],
      [{ authorization: 'Bearer' }, "Missing 'Bearer' type in 'Authorization' header"],
      [{ authorization: 'abc.def.ghi' }, "Missing 'Bearer' type in 'Authorization' header"],
      [{ authorization: 'Bearer a b' }, "Missing 'Bearer' type in 'Authorization' header"],
      [{ authorization: 'bEaReR abc' }, null],
      [{ authorization: 'Bearer abc' }, null],
    ])('%j → %s', (headers, problem) => {
      expect(bearerProblem(headers)).toBe(problem);
    });
  });
});
