import { ParseUUIDPipe } from '@nestjs/common';
import { validationFailed } from './validation.pipe.js';

/** `@Param('id', UuidParam)`: a malformed id is 400 VALIDATION_FAILED, never a query. */
export const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () => validationFailed([{ field: 'id', message: 'id must be a UUID' }]),
});
