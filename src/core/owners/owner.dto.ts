import { ApiProperty } from '@nestjs/swagger';
import { Owner } from './owner.entity.js';

export class OwnerDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  emailVerified!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(owner: Owner): OwnerDto {
    return {
      id: owner.id,
      email: owner.email,
      name: owner.name,
      emailVerified: owner.emailVerifiedAt !== null,
      createdAt: new Date(owner.createdAt).toISOString(),
    };
  }
}
