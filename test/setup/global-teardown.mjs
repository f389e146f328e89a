export default async function globalTeardown() {
  await globalThis.__TENANTRY_PG__?.stop();
}
