import { ApiProperty } from '@nestjs/swagger';
import { MAX_ID } from 'src/common/dto/id-param.dto';
import { DESCRIPTION_MAX, TITLE_MAX } from 'src/tasks/dto/create-task.dto';
import { Task } from 'src/tasks/task.entity';

export class TaskResponse {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ID, example: 1 })
  id: number;

  @ApiProperty({ minLength: 1, maxLength: TITLE_MAX, example: 'Buy milk' })
  title: string;

  @ApiProperty({ type: 'string', nullable: true, maxLength: DESCRIPTION_MAX })
  description: string | null;

  @ApiProperty()
  done: boolean;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ID, description: 'The owner: always the caller' })
  user_id: number;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: '1 when created, one more on every change; the ETag' })
  version: number;
}

export function toTaskResponse(t: Task): TaskResponse {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    done: t.done,
    user_id: t.userId,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
    version: t.version,
  };
}
