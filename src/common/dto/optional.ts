import { ValidateIf } from 'class-validator';

/**
 * Optional when absent, but validated when present: unlike @IsOptional(), a
 * `null` is checked by the field's other rules (and so refused for a NOT NULL column).
 */
export const IsOptionalNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
