import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_ID } from 'src/common/dto/id-param.dto';
import { StrictInt } from 'src/common/dto/strict-int';

export const MAX_LIMIT = 100;

export class PaginationQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50, description: 'Page size' })
  @IsOptional()
  @StrictInt()
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit: number = 50;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_ID, default: 0, description: 'Items to skip' })
  @IsOptional()
  @StrictInt()
  @IsInt()
  @Min(0)
  @Max(MAX_ID)
  offset: number = 0;
}

/**
 * One page of a list; the pagination interceptor sends `items` as the body and the rest as headers.
 * `nextAfterId`, for a list paged by key (`?after_id=`), is the `after_id` of the next page, or null
 * on the last one; left undefined, the next page is the next offset.
 */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly total: number,
    readonly limit: number,
    readonly offset: number,
    readonly nextAfterId?: number | null,
  ) {}

  /** The same page with each item mapped, e.g. an entity to its response shape. */
  map<R>(project: (item: T) => R): Page<R> {
    return new Page(this.items.map(project), this.total, this.limit, this.offset, this.nextAfterId);
  }
}
