import { ApiTags } from '@nestjs/swagger';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { AuthUser } from 'src/auth/auth-user';
import { TokenMessage } from 'src/auth/guards/token-errors';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Roles } from 'src/auth/decorators/roles.decorator';
import { Scopes } from 'src/auth/decorators/scopes.decorator';
import { Scope } from 'src/auth/scope.enum';
import { IdParamDto } from 'src/common/dto/id-param.dto';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { Returns, ReturnsNothing, ReturnsPage } from 'src/docs/api-response.decorator';
import { CreateUserDto } from 'src/users/dto/create-user.dto';
import { UpdateRoleDto } from 'src/users/dto/update-role.dto';
import { UserResponse } from 'src/users/dto/user-response';
import { Role } from 'src/auth/role.enum';
import { FRESH_REQUIRED, LAST_ADMIN, USER_NOT_FOUND, USERNAME_TAKEN, UsersService } from 'src/users/users.service';

const NOT_FOUND = { status: 404, messages: [USER_NOT_FOUND] } as const;

@ApiTags('users')
@ApiAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles([Role.Admin])
  @Scopes(Scope.UsersRead)
  @ReturnsPage(UserResponse, { id: 'listUsers', summary: 'A page of all users (admin)', errors: [403] })
  list(@Query() query: PaginationQueryDto): Promise<Page<UserResponse>> {
    return this.users.list(query);
  }

  @Post()
  @Roles([Role.Admin])
  @Returns(UserResponse, {
    id: 'createUser',
    summary: 'Create a user with any role (admin)',
    status: 201,
    errors: [403, { status: 409, messages: [USERNAME_TAKEN] }, 429],
  })
  create(@Body() dto: CreateUserDto, @CurrentUser() caller: AuthUser): Promise<UserResponse> {
    return this.users.create(dto.username, dto.password, dto.role, caller.ip);
  }

  @Get(':id')
  @Scopes(Scope.UsersRead)
  @Returns(UserResponse, {
    id: 'getUser',
    summary: 'One user (the caller, or anyone for an admin)',
    errors: [403, NOT_FOUND],
  })
  get(@Param() { id }: IdParamDto, @CurrentUser() caller: AuthUser): Promise<UserResponse> {
    return this.users.get(id, caller);
  }

  @Patch(':id/role')
  @Roles([Role.Admin])
  @Returns(UserResponse, {
    id: 'changeUserRole',
    summary: 'Change a user’s role (admin); revokes that user’s sessions',
    errors: [403, NOT_FOUND, { status: 409, messages: [LAST_ADMIN] }],
  })
  changeRole(
    @Param() { id }: IdParamDto,
    @Body() dto: UpdateRoleDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<UserResponse> {
    return this.users.changeRole(id, dto.role, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ReturnsNothing({
    id: 'deleteUser',
    summary: 'Delete a user with their tasks and sessions (admin, or self with a fresh token)',
    errors: [
      { status: 401, messages: [FRESH_REQUIRED, TokenMessage.missingHeader, TokenMessage.revoked] },
      403,
      NOT_FOUND,
      { status: 409, messages: [LAST_ADMIN] },
    ],
  })
  remove(@Param() { id }: IdParamDto, @CurrentUser() caller: AuthUser): Promise<void> {
    return this.users.remove(id, caller);
  }
}
