import { BadRequestException } from '@nestjs/common';

export const EMPTY_UPDATE = 'Body must set at least one field';

/** A PATCH whose validated body sets nothing is a client mistake, not a silent no-op. */
export function requireChange(dto: object): void {
  if (Object.values(dto).every((v) => v === undefined)) throw new BadRequestException(EMPTY_UPDATE);
}
