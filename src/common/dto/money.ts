import { applyDecorators } from '@nestjs/common';
import { IsNumber, Max, Min, ValidateBy } from 'class-validator';
import { ValueTransformer } from 'typeorm';

export const MAX_PRICE = 1_000_000_000;
/** Prices are whole cents. */
export const PRICE_STEP = 0.01;

/** Money travels as a JSON number with at most 2 decimals and is stored as integer cents. */
export const toCents = (amount: number): number => Math.round(amount * 100);
/** Integer cents back to the number a client sent: 1999 → 19.99 (the nearest double, printed as written). */
export const fromCents = (cents: number): number => cents / 100;

/**
 * True when `amount` is the double a client gets by writing a number with at most
 * 2 decimals: the round trip through cents gives it back exactly. Arithmetic, not
 * `toString()`, which prints 1e-7 and 5e-324 in exponent form.
 */
export const isWholeCents = (amount: number): boolean => fromCents(toCents(amount)) === amount;

/** DTO rule for a price: a finite JSON number, 0 to 1,000,000,000, a multiple of 0.01. */
export const IsPrice = () =>
  applyDecorators(
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(0),
    Max(MAX_PRICE),
    ValidateBy({
      name: 'isWholeCents',
      validator: {
        // A non-number is reported by @IsNumber on the same property.
        validate: (value: unknown) => typeof value !== 'number' || isWholeCents(value),
        defaultMessage: () => '$property must be a multiple of 0.01 (at most 2 decimal places)',
      },
    }),
  );

/** bigint columns come back as strings from PostgreSQL; cents fit a double exactly (< 2^53). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
