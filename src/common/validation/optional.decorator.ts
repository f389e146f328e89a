import { ValidateIf } from 'class-validator';

/**
 * A property that may be left out but, when sent, must be valid: unlike class-validator's `IsOptional`, a
 * `null` is validated like any other value (and so refused by `IsString`, `IsInt`…), never passed on to the
 * database as a NULL the column refuses. Properties where null means something (a limit's "unlimited")
 * keep `IsOptional` and say `nullable` in their OpenAPI property.
 */
export const Optional = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
