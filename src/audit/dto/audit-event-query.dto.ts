import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { AUDIT_EVENT_TYPES, type AuditEventType } from 'src/audit/audit.service';
import { MAX_ID } from 'src/common/dto/id-param.dto';
import { PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { StrictInt } from 'src/common/dto/strict-int';

/** An ISO 8601 date-time (`2026-01-31T12:00:00Z`); anything else is left for @IsDate to refuse. */
const IsoDate = () =>
  Transform(({ value }: { value: unknown }) => {
    if (
      typeof value !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)
    )
      return value;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date;
  });

/** GET /api/me/security-events: a page of the caller's events, newest first. */
export class SecurityEventQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_EVENT_TYPES, description: 'Only events of this type' })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES)
  type?: AuditEventType;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', description: 'Only events at or after this time' })
  @IsOptional()
  @IsoDate()
  @IsDate({ message: 'since must be an ISO 8601 date-time' })
  since?: Date;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', description: 'Only events before this time' })
  @IsOptional()
  @IsoDate()
  @IsDate({ message: 'until must be an ISO 8601 date-time' })
  until?: Date;
}

/** GET /api/audit-events: a page of everyone's events, newest first. */
export class AuditEventQueryDto extends SecurityEventQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_ID, description: 'Only events about this user' })
  @IsOptional()
  @StrictInt()
  @IsInt({ message: 'user_id must be an integer' })
  @Min(1)
  @Max(MAX_ID)
  user_id?: number;
}
