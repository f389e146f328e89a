import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, ValidateBy } from 'class-validator';
import { BCRYPT_MAX_BYTES } from '../crypto/password.service.js';

/** A new password: 10..128 characters (docs/reference/api.md) and at most 72 bytes in UTF-8 (bcrypt's limit). */
export function IsNewPassword(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ minLength: 10, maxLength: 128, description: 'At most 72 bytes in UTF-8.' }),
    IsString(),
    Length(10, 128),
    ValidateBy({
      name: 'maxBytes',
      validator: {
        validate: (v: unknown) => typeof v !== 'string' || Buffer.byteLength(v, 'utf8') <= BCRYPT_MAX_BYTES,
        defaultMessage: () => `password must be at most ${BCRYPT_MAX_BYTES} bytes in UTF-8`,
      },
    }),
  );
}
