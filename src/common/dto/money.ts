import { ValueTransformer } from 'typeorm';

/** Money travels as a JSON number with at most 2 decimals and is stored as integer cents. */
export const toCents = (amount: number): number => Math.round(amount * 100);
/** Integer cents back to the number a client sent: 1999 → 19.99 (the nearest double, printed as written). */
export const fromCents = (cents: number): number => cents / 100;

/** bigint columns come back as strings from PostgreSQL; cents fit a double exactly (< 2^53). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
