import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** Rules that say a value has the wrong type; when one fails, range and length rules on it are noise. */
const TYPE_RULES = [
  'isInt',
  'isNumber',
  'isString',
  'isBoolean',
  'isIn',
  'isEnum',
  'isObject',
  'isArray',
  'whitelistValidation',
];

/** One message per broken rule, naming the field (its dotted path when nested). */
export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const typeRule = TYPE_RULES.find((rule) => rule in constraints);
    const own = typeRule ? [constraints[typeRule]] : Object.values(constraints);
    const named = parent ? own.map((m) => m.replace(error.property, path)) : own;
    return [...named, ...validationMessages(error.children ?? [], path)];
  });
}

/** The global pipe: unknown fields are 400, types are converted, messages as above. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequestException(validationMessages(errors)),
  });
}
