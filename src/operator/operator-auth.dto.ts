import { ApiPropertyOptional } from '@nestjs/swagger';
import { LoginDto } from '../core/auth/dto/auth-requests.dto.js';
import { IsNewPassword } from '../common/validation/password.decorator.js';
import { Optional } from '../common/validation/optional.decorator.js';

/** An operator's login; the first one (a one-time password from `operators:create`) sets `newPassword`. */
export class OperatorLoginDto extends LoginDto {
  @ApiPropertyOptional({
    description: 'Required while the password is the one-time one from operators:create.',
  })
  @Optional()
  @IsNewPassword()
  newPassword?: string;
}
