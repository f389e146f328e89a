import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { IsNewPassword } from './password.decorator.js';
import { normalizeEmail, trim } from './transforms.js';

/** Who a new account is, owner or tenant user alike: the same rules for email, password and name. */
export class NewAccountDto {
  @ApiProperty({ maxLength: 254, example: 'ada@example.com' })
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @IsNewPassword()
  password!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Ada Lovelace' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;
}
