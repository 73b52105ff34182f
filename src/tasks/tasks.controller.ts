import { ApiTags } from '@nestjs/swagger';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import type { AuthUser } from 'src/auth/auth-user';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Scopes } from 'src/auth/decorators/scopes.decorator';
import { Scope } from 'src/auth/scope.enum';
import { IfMatch } from 'src/common/decorators/if-match.decorator';
import { EntityTagInterceptor } from 'src/common/interceptors/entity-tag.interceptor';
import { ApiConditionalRead, ApiConditionalWrite } from 'src/docs/api-conditional.decorator';
import { IdempotentCreate } from 'src/idempotency/idempotent-create.decorator';
import { IdParamDto } from 'src/common/dto/id-param.dto';
import { CreateTaskDto } from 'src/tasks/dto/create-task.dto';
import { TaskQueryDto } from 'src/tasks/dto/task-query.dto';
import { UpdateTaskDto } from 'src/tasks/dto/update-task.dto';
import { TasksService } from 'src/tasks/tasks.service';

/** The caller's own tasks; the owner always comes from the token's user, never the body. */
@ApiTags('tasks')
@ApiAuth()
@UseInterceptors(EntityTagInterceptor)
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @Scopes(Scope.TasksRead)
  list(@CurrentUser() user: AuthUser, @Query() query: TaskQueryDto) {
    return this.tasks.list(user.id, query);
  }

  @Post()
  @Scopes(Scope.TasksWrite)
  @IdempotentCreate()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateTaskDto) {
    return this.tasks.create(user.id, dto);
  }

  @Get(':id')
  @Scopes(Scope.TasksRead)
  @ApiConditionalRead()
  get(@CurrentUser() user: AuthUser, @Param() { id }: IdParamDto) {
    return this.tasks.get(user.id, id);
  }

  @Patch(':id')
  @Scopes(Scope.TasksWrite)
  @ApiConditionalWrite()
  update(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParamDto,
    @Body() dto: UpdateTaskDto,
    @IfMatch() versions: number[] | undefined,
  ) {
    return this.tasks.update(user.id, id, dto, versions);
  }

  @Delete(':id')
  @Scopes(Scope.TasksWrite)
  @HttpCode(204)
  @ApiConditionalWrite()
  remove(@CurrentUser() user: AuthUser, @Param() { id }: IdParamDto, @IfMatch() versions: number[] | undefined) {
    return this.tasks.remove(user.id, id, versions);
  }
}
