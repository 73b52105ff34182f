import { ApiTags } from '@nestjs/swagger';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { AuthUser } from 'src/auth/auth-user';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Roles } from 'src/auth/decorators/roles.decorator';
import { Scopes } from 'src/auth/decorators/scopes.decorator';
import { Scope } from 'src/auth/scope.enum';
import { IdParamDto } from 'src/common/dto/id-param.dto';
import { PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { CreateUserDto } from 'src/users/dto/create-user.dto';
import { UpdateRoleDto } from 'src/users/dto/update-role.dto';
import { Role } from 'src/auth/role.enum';
import { UsersService } from 'src/users/users.service';

@ApiTags('users')
@ApiAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles([Role.Admin])
  @Scopes(Scope.UsersRead)
  list(@Query() query: PaginationQueryDto) {
    return this.users.list(query);
  }

  @Post()
  @Roles([Role.Admin])
  create(@Body() dto: CreateUserDto, @CurrentUser() caller: AuthUser) {
    return this.users.create(dto.username, dto.password, dto.role, caller.ip);
  }

  @Get(':id')
  @Scopes(Scope.UsersRead)
  get(@Param() { id }: IdParamDto, @CurrentUser() caller: AuthUser) {
    return this.users.get(id, caller);
  }

  @Patch(':id/role')
  @Roles([Role.Admin])
  changeRole(@Param() { id }: IdParamDto, @Body() dto: UpdateRoleDto, @CurrentUser() caller: AuthUser) {
    return this.users.changeRole(id, dto.role, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param() { id }: IdParamDto, @CurrentUser() caller: AuthUser) {
    return this.users.remove(id, caller);
  }
}
