import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;

/** DTO rule: 3 to 32 ASCII letters, digits, ".", "_" or "-". */
export const IsUsername = () =>
  applyDecorators(
    IsString(),
    Matches(USERNAME_PATTERN, { message: '$property must be 3 to 32 characters of letters, digits, ".", "_" or "-"' }),
  );

/** The username rule in the OpenAPI document. */
export const ApiUsername = () =>
  ApiProperty({
    pattern: USERNAME_PATTERN.source,
    minLength: 3,
    maxLength: 32,
    example: 'alice',
    description: '3 to 32 ASCII letters, digits, ".", "_" or "-"; unique regardless of case',
  });

/** The key usernames are unique and looked up by: `Alice` and `alice` are one user. */
export const usernameKey = (username: string) => username.toLowerCase();
