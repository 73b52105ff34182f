import { Allow, IsString } from 'class-validator';
import { ApiPassword, IsAcceptablePassword, NotContainingUsername } from 'src/common/password-policy';
import { ApiUsername, IsUsername } from 'src/users/username';

/** POST /api/register. */
export class RegisterDto {
  @ApiUsername()
  @IsUsername()
  username: string;

  @ApiPassword()
  @IsString()
  @IsAcceptablePassword()
  @NotContainingUsername()
  password: string;

  /**
   * Accepted by the validator only to answer 403 "Only admins can assign roles"
   * rather than a generic unknown-field 400; any value is refused. Not in the
   * document: a client never sends it.
   */
  @Allow()
  role?: unknown;
}
