import { Controller, ExecutionContext, ForbiddenException, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Scope } from 'src/auth/scope.enum';
import { AnyScope, Scopes } from 'src/auth/decorators/scopes.decorator';
import { PAT_NOT_ALLOWED, ScopesGuard } from 'src/auth/guards/scopes.guard';

@Controller()
class Sample {
  @Get() @Scopes(Scope.TasksRead) read() {}
  @Get() @Scopes(Scope.TasksRead, Scope.TasksWrite) both() {}
  @Get() @AnyScope() any() {}
  @Get() undeclared() {}
}

const context = (handler: keyof Sample, scopes?: Scope[]) =>
  ({
    getHandler: () => Sample.prototype[handler],
    getClass: () => Sample,
    switchToHttp: () => ({
      getRequest: () => ({ user: { id: 1, personalToken: scopes ? { id: 't', scopes } : undefined } }),
    }),
  }) as unknown as ExecutionContext;

describe('ScopesGuard', () => {
  const guard = new ScopesGuard(new Reflector());

  it('leaves session tokens alone, on any route', () => {
    expect(guard.canActivate(context('undeclared'))).toBe(true);
    expect(guard.canActivate(context('both'))).toBe(true);
  });

  it('refuses a personal access token on a route that declares no scopes (deny by default)', () => {
    expect(() => guard.canActivate(context('undeclared', Object.values(Scope)))).toThrow(
      new ForbiddenException(PAT_NOT_ALLOWED),
    );
  });

  it('needs every declared scope', () => {
    expect(guard.canActivate(context('read', [Scope.TasksRead]))).toBe(true);
    expect(() => guard.canActivate(context('both', [Scope.TasksRead]))).toThrow(
      new ForbiddenException('Token lacks the tasks:write scope'),
    );
    expect(() => guard.canActivate(context('read', [Scope.TasksWrite]))).toThrow(ForbiddenException);
  });

  it('lets any token through @AnyScope()', () => {
    expect(guard.canActivate(context('any', [Scope.ProductsRead]))).toBe(true);
  });
});
