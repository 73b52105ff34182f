import { ApiProperty } from '@nestjs/swagger';

/** The one error shape of every failure (docs/API.md, "Errors"). */
export class ErrorResponse {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 401 })
  statusCode: number;

  @ApiProperty({ example: 'Unauthorized', description: 'The reason phrase of the status' })
  error: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'Token has expired',
    description: 'A message, or for validation failures one message per broken rule, naming the field',
  })
  message: string | string[];
}
