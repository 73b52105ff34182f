import { Allow, IsString } from 'class-validator';
import { IsAcceptablePassword, NotContainingUsername } from 'src/common/password-policy';
import { IsUsername } from 'src/users/username';

/** POST /api/register. */
export class RegisterDto {
  @IsUsername()
  username: string;

  @IsString()
  @IsAcceptablePassword()
  @NotContainingUsername()
  password: string;

  /**
   * Accepted by the validator only to answer 403 "Only admins can assign roles"
   * rather than a generic unknown-field 400; any value is refused.
   */
  @Allow()
  role?: unknown;
}
