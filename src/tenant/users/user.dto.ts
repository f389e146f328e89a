import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, Length } from 'class-validator';
import { IsNewPassword } from '../../common/validation/password.decorator.js';
import { User, USER_ROLES, type UserRole } from '../identity/user.entity.js';
import { NewAccountDto } from '../../common/validation/new-account.dto.js';
import { trim } from '../../common/validation/transforms.js';
import { Optional } from '../../common/validation/optional.decorator.js';

export class CreateUserDto extends NewAccountDto {
  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role!: UserRole;
}

/** Admins may change everything here; a user changing themself only `name` and `password`. */
export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @Optional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ minLength: 10, maxLength: 128 })
  @Optional()
  @IsNewPassword()
  password?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @Optional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  isActive?: boolean;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 128,
    description: 'Required when changing one’s own password.',
  })
  @Optional()
  @IsString()
  @Length(1, 128)
  currentPassword?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;

  @ApiProperty()
  isActive!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(user: User): UserDto {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      isActive: user.isActive,
      createdAt: new Date(user.createdAt).toISOString(),
    };
  }
}
