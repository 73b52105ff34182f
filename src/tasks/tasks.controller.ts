import { ApiTags } from '@nestjs/swagger';
import { ApiAuth } from 'src/docs/api-auth.decorator';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import type { AuthUser } from 'src/auth/auth-user';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Scopes } from 'src/auth/decorators/scopes.decorator';
import { Scope } from 'src/auth/scope.enum';
import { IfMatch } from 'src/common/decorators/if-match.decorator';
import { EntityTagInterceptor } from 'src/common/interceptors/entity-tag.interceptor';
import { ApiConditionalRead, ApiConditionalWrite, ETAG } from 'src/docs/api-conditional.decorator';
import { IDEMPOTENT_REPLAYED, IdempotentCreate } from 'src/idempotency/idempotent-create.decorator';
import { IdParamDto } from 'src/common/dto/id-param.dto';
import { Page } from 'src/common/dto/pagination-query.dto';
import { Returns, ReturnsNothing, ReturnsPage } from 'src/docs/api-response.decorator';
import { CreateTaskDto } from 'src/tasks/dto/create-task.dto';
import { TaskQueryDto } from 'src/tasks/dto/task-query.dto';
import { TaskResponse } from 'src/tasks/dto/task-response';
import { UpdateTaskDto } from 'src/tasks/dto/update-task.dto';
import { DEFAULT_MAX_TASKS_PER_USER } from 'src/config/env.validation';
import { TASK_NOT_FOUND, taskLimitMessage, TasksService } from 'src/tasks/tasks.service';

const NOT_FOUND = { status: 404, messages: [TASK_NOT_FOUND] } as const;

/** The caller's own tasks; the owner always comes from the token's user, never the body. */
@ApiTags('tasks')
@ApiAuth()
@UseInterceptors(EntityTagInterceptor)
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @Scopes(Scope.TasksRead)
  @ReturnsPage(TaskResponse, { id: 'listTasks', summary: 'A page of the caller’s tasks' })
  list(@CurrentUser() user: AuthUser, @Query() query: TaskQueryDto): Promise<Page<TaskResponse>> {
    return this.tasks.list(user.id, query);
  }

  @Post()
  @Scopes(Scope.TasksWrite)
  @IdempotentCreate({ conflicts: [taskLimitMessage(DEFAULT_MAX_TASKS_PER_USER)] })
  @Returns(TaskResponse, {
    id: 'createTask',
    summary: 'Add a task for the caller',
    status: 201,
    headers: { ...ETAG, ...IDEMPOTENT_REPLAYED },
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateTaskDto): Promise<TaskResponse> {
    return this.tasks.create(user.id, dto);
  }

  @Get(':id')
  @Scopes(Scope.TasksRead)
  @ApiConditionalRead()
  @Returns(TaskResponse, { id: 'getTask', summary: 'One of the caller’s tasks', headers: ETAG, errors: [NOT_FOUND] })
  get(@CurrentUser() user: AuthUser, @Param() { id }: IdParamDto): Promise<TaskResponse> {
    return this.tasks.get(user.id, id);
  }

  @Patch(':id')
  @Scopes(Scope.TasksWrite)
  @ApiConditionalWrite()
  @Returns(TaskResponse, {
    id: 'updateTask',
    summary: 'Change one of the caller’s tasks',
    headers: ETAG,
    errors: [NOT_FOUND],
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParamDto,
    @Body() dto: UpdateTaskDto,
    @IfMatch() versions: number[] | undefined,
  ): Promise<TaskResponse> {
    return this.tasks.update(user.id, id, dto, versions);
  }

  @Delete(':id')
  @Scopes(Scope.TasksWrite)
  @HttpCode(204)
  @ApiConditionalWrite()
  @ReturnsNothing({ id: 'deleteTask', summary: 'Delete one of the caller’s tasks', errors: [NOT_FOUND] })
  remove(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParamDto,
    @IfMatch() versions: number[] | undefined,
  ): Promise<void> {
    return this.tasks.remove(user.id, id, versions);
  }
}
