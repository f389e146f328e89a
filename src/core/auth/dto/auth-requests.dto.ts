import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';
import { IsNewPassword } from '../../../common/validation/password.decorator.js';
import { NewAccountDto } from '../../../common/validation/new-account.dto.js';
import { normalizeEmail } from '../../../common/validation/transforms.js';

export class RegisterDto extends NewAccountDto {}

export class LoginDto {
  @ApiProperty({ maxLength: 254, example: 'ada@example.com' })
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ maxLength: 128 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password!: string;
}

export class EmailTokenDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'The token from the email, after `token: `.' })
  @IsString()
  @Length(1, 200)
  token!: string;
}

export class RefreshTokenDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  refreshToken!: string;
}

export class ForgotPasswordDto {
  @ApiProperty({ maxLength: 254, example: 'ada@example.com' })
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  token!: string;

  @IsNewPassword()
  password!: string;
}
