import { IsUUID } from 'class-validator';

/** `:id` of a personal access token: a UUID. */
export class TokenIdParamDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}
