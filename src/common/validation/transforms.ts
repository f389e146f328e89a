/** class-transformer `@Transform` helpers shared by the DTOs. */
export const normalizeEmail = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
