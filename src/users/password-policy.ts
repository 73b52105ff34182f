import { dictionary } from '@zxcvbn-ts/language-common';
import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationOptions } from 'class-validator';

export const PASSWORD_MIN_CHARS = 8;
/** bcrypt reads no further than 72 bytes, so a longer password would be silently truncated. */
export const PASSWORD_MAX_BYTES = 72;

let common: Set<string> | undefined;

/**
 * One of the ~49,000 most common passwords of zxcvbn-ts' ranked list (built
 * from public breach corpora), compared case-insensitively.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}

/** The policy, one rule a message; `$property` is the field's name. */
const RULES: ReadonlyArray<{ name: string; passes: (v: string) => boolean; message: string }> = [
  {
    name: 'passwordMinChars',
    passes: (v) => [...v].length >= PASSWORD_MIN_CHARS,
    message: `$property must be at least ${PASSWORD_MIN_CHARS} characters`,
  },
  {
    name: 'passwordMaxBytes',
    passes: (v) => Buffer.byteLength(v, 'utf8') <= PASSWORD_MAX_BYTES,
    message: `$property must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8`,
  },
  { name: 'passwordNotCommon', passes: (v) => !isCommonPassword(v), message: '$property is too common' },
];

/** Why a password breaks the policy, one message per broken rule (empty when it passes). */
export function passwordProblems(password: string, field = 'password'): string[] {
  return RULES.filter((r) => !r.passes(password)).map((r) => r.message.replace('$property', field));
}

/** The password policy in the OpenAPI document (JSON Schema counts characters, not bytes). */
export const ApiPassword = () =>
  ApiProperty({
    format: 'password',
    minLength: PASSWORD_MIN_CHARS,
    maxLength: PASSWORD_MAX_BYTES,
    description: `At least ${PASSWORD_MIN_CHARS} characters, at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 (bcrypt reads no further), not one of the commonly used passwords`,
  });

/** DTO rule: a string that meets the contract's password policy, reported one message per broken rule. */
export function IsAcceptablePassword(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    for (const rule of RULES) {
      registerDecorator({
        name: rule.name,
        target: target.constructor,
        propertyName: propertyName as string,
        options: { message: rule.message, ...options },
        // A non-string is reported by @IsString on the same property.
        validator: { validate: (value: unknown) => typeof value !== 'string' || rule.passes(value) },
      });
    }
  };
}
