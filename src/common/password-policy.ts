import { dictionary } from '@zxcvbn-ts/language-common';
import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

export const PASSWORD_MIN_CHARS = 8;
/** bcrypt reads no further than 72 bytes, so a longer password would be silently truncated. */
export const PASSWORD_MAX_BYTES = 72;

let common: Set<string> | undefined;

/**
 * The form a password is checked, hashed and compared in: Unicode NFKC, so the
 * composed and decomposed spellings of "é" (or a full-width "Ａ" and "A") are one
 * password (NIST SP 800-63B, section 5.1.1.2).
 */
export const normalizePassword = (password: string) => password.normalize('NFKC');

/**
 * The password, normalised, contains the username in any letter case: a
 * context-specific word an attacker tries first (NIST SP 800-63B, section 3.1.1.2).
 */
export function containsUsername(password: string, username: string): boolean {
  return normalizePassword(password).toLowerCase().includes(username.toLowerCase());
}

export const usernameInPassword = (field: string) => `${field} must not contain the username`;

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

/**
 * Why a password breaks the policy, one message per broken rule (empty when it
 * passes); checked in its normalised form, the one that is hashed.
 */
export function passwordProblems(password: string, field = 'password', username?: string): string[] {
  const normalized = normalizePassword(password);
  const problems = RULES.filter((r) => !r.passes(normalized)).map((r) => r.message.replace('$property', field));
  if (username !== undefined && containsUsername(password, username)) problems.push(usernameInPassword(field));
  return problems;
}

/** The password policy in the OpenAPI document (JSON Schema counts characters, not bytes). */
export const ApiPassword = () =>
  ApiProperty({
    format: 'password',
    minLength: PASSWORD_MIN_CHARS,
    maxLength: PASSWORD_MAX_BYTES,
    description: `At least ${PASSWORD_MIN_CHARS} characters, at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 (bcrypt reads no further), not one of the commonly used passwords, not containing the username`,
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
        validator: { validate: (value: unknown) => typeof value !== 'string' || rule.passes(normalizePassword(value)) },
      });
    }
  };
}

/** DTO rule: the password does not contain the body's `username` (checked when both are strings). */
export function NotContainingUsername(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'notContainingUsername',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: usernameInPassword('$property'), ...options },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const username = (args.object as { username?: unknown }).username;
          return typeof value !== 'string' || typeof username !== 'string' || !containsUsername(value, username);
        },
      },
    });
  };
}
