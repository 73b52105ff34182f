import { Reflector } from '@nestjs/core';
import { Role } from 'src/auth/role.enum';

/** `@Roles(Role.Admin)`: the caller's role, loaded from the database, must be one of these. */
export const Roles = Reflector.createDecorator<Role[]>();
