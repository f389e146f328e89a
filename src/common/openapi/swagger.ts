import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { HttpMapping } from '../errors/app-error.js';
import { finishDocument } from './openapi-document.js';

/** The tags of the document, in reading order, each with what it holds. */
const TAGS: [string, string][] = [
  ['Owner accounts', 'Owners register, verify their email and sign in (core token).'],
  ['Organizations', "An owner's organizations: onboarding, lifecycle, settings, jobs and exports."],
  ['Tenant auth', "Tenant users sign in to one organization's database (tenant token)."],
  ['Tenant organization', 'The organization a tenant request is routed to.'],
  ['Users', "The organization's users and their roles."],
  ['Products', 'The catalogue: products.'],
  ['Suppliers', 'The catalogue: suppliers.'],
  ['Warehouses', 'The catalogue: warehouses.'],
  ['Stock', 'Stock movements (the ledger) and the levels they sum to.'],
  ['Purchase requests', 'Purchase requests from draft to receipt.'],
  ['Items', 'Items: free-form records with search.'],
  ['Audit log', 'Who changed what, when.'],
  ['Events', 'Domain events, live or from the log.'],
  ['Files', 'Uploaded files and their signed links.'],
  ['Operators', "The service's operators: their sign-in and the fleet (servers, tenants, actions)."],
  ['Health', 'Liveness and readiness probes.'],
];

/** The OpenAPI document (served at /docs-json, browsed at /docs), finished to be a client's exact contract. */
export function setupSwagger(
  app: NestFastifyApplication,
  tenantHeader: string,
  errorCodes: ReadonlyMap<string, HttpMapping>,
): void {
  const builder = new DocumentBuilder()
    .setTitle('Tenantry')
    .setDescription(
      'Database-per-tenant backend. Errors are RFC 9457 problem+json with a stable `code` (the Problem schema).',
    )
    .setVersion('1')
    .setLicense('UNLICENSED (proprietary)', 'https://tenantry.dev/license')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Owner (core) token' },
      'core',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Tenant user token' },
      'tenant',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Operator token' },
      'operator',
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: tenantHeader.toUpperCase(), description: 'Tenant slug' },
      'tenant-header',
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const config = builder.build();
  SwaggerModule.setup(
    'docs',
    app,
    () => finishDocument(SwaggerModule.createDocument(app, config), errorCodes),
    {
      jsonDocumentUrl: 'docs-json',
    },
  );
}
