import { IsUUID } from 'class-validator';

/** `:id` of a session: its UUID (the `sid` claim of the tokens it issued). */
export class SessionIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}
