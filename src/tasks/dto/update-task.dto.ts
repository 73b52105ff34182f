import { PartialType } from '@nestjs/swagger';
import { CreateTaskDto } from 'src/tasks/dto/create-task.dto';

/** PATCH /api/tasks/:id: any of the fields; `null` is refused except for `description`. */
export class UpdateTaskDto extends PartialType(CreateTaskDto, { skipNullProperties: false }) {}
