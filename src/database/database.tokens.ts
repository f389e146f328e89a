/** The resolved core database URL (embedded or `DATABASE_URL`); its server also hosts tenant databases. */
export const CORE_DATABASE_URL = Symbol('CORE_DATABASE_URL');
