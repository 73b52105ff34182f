import { Transform } from 'class-transformer';

/**
 * Turns a decimal integer string ("42") into a number and leaves anything else
 * ("1e3", "0x10", " 1", "1.5") untouched, so @IsInt() rejects it. `Number()`
 * alone would accept those forms.
 */
export const StrictInt = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value,
  );
