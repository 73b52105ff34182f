import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { StrictInt } from 'src/common/dto/strict-int';

/** The deepest `offset` a task list takes: skipping rows costs in proportion, so deeper pages go by `after_id`. */
export const TASKS_MAX_OFFSET = 10_000;

/** GET /api/tasks: a page, optionally only done (`?done=true`) or open (`?done=false`) tasks. */
export class TaskQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ type: 'boolean', description: 'Only done (true) or open (false) tasks' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'done must be true or false' })
  done?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 2_147_483_647,
    description: 'Only tasks with a greater id: the keyset page after the one ending with that id (the `next` link)',
  })
  @IsOptional()
  @StrictInt()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  after_id?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: TASKS_MAX_OFFSET,
    default: 0,
    description: 'Tasks to skip; deeper pages go by `after_id`',
  })
  @IsOptional()
  @StrictInt()
  @IsInt()
  @Min(0)
  @Max(TASKS_MAX_OFFSET, { message: `offset must not be greater than ${TASKS_MAX_OFFSET}; page deeper with after_id` })
  override offset: number = 0;
}
