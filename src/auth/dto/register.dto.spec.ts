import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { RegisterDto } from 'src/auth/dto/register.dto';

// From src/common/password-policy.spec.ts: common/ may not import auth/ (eslint.config.mjs).
describe('RegisterDto', () => {
  it('is checked by the register DTO against its own username', () => {
    const errors = (body: object) =>
      validateSync(plainToInstance(RegisterDto, body)).flatMap((e) => Object.values(e.constraints ?? {}));
    expect(errors({ username: 'carol', password: 'x-Carol-horse-battery' })).toEqual([
      'password must not contain the username',
    ]);
    expect(errors({ username: 'carol', password: 'correct-horse-battery' })).toEqual([]);
  });
});
