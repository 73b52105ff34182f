import { Controller, ExecutionContext, ForbiddenException, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Roles } from 'src/auth/decorators/roles.decorator';
import { RolesGuard } from 'src/auth/guards/roles.guard';
import { Role } from 'src/auth/role.enum';

@Controller()
class Sample {
  @Get() @Roles([Role.Admin]) adminOnly() {}
  @Get() open() {}
}

const context = (handler: keyof Sample, user?: { role: Role }) =>
  ({
    getHandler: () => Sample.prototype[handler],
    getClass: () => Sample,
    switchToHttp: () => ({ getRequest: () => ({ user, body: { role: 'admin' } }) }),
  }) as unknown as ExecutionContext;

describe('RolesGuard', () => {
  const guard = new RolesGuard(new Reflector());

  it('lets a route without @Roles through', () => {
    expect(guard.canActivate(context('open', { role: Role.User }))).toBe(true);
  });

  it('lets an admin through an admin route', () => {
    expect(guard.canActivate(context('adminOnly', { role: Role.Admin }))).toBe(true);
  });

  it('refuses a user with 403 Admin access required, whatever the request body says', () => {
    expect(() => guard.canActivate(context('adminOnly', { role: Role.User }))).toThrow(
      new ForbiddenException('Admin access required'),
    );
  });

  it('refuses when no user was loaded', () => {
    expect(() => guard.canActivate(context('adminOnly'))).toThrow(ForbiddenException);
  });
});
