import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PaginationQueryDto } from 'src/common/dto/pagination-query.dto';

/** GET /api/tasks: a page, optionally only done (`?done=true`) or open (`?done=false`) tasks. */
export class TaskQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ type: 'boolean', description: 'Only done (true) or open (false) tasks' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'done must be true or false' })
  done?: boolean;
}
