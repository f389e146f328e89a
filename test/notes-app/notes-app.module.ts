import {
  type ArgumentsHost,
  Body,
  Catch,
  Controller,
  type DynamicModule,
  type ExceptionFilter,
  Get,
  Module,
  Post,
  UseGuards,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import {
  AppError,
  TENANCY_CORE_ENTITIES,
  TENANCY_CORE_MIGRATIONS,
  TenancyModule,
  type TenancySettings,
  TenantConnectionManager,
  TenantGuard,
} from '../../src/tenancy/index.js';
import { Note, NOTE_MIGRATIONS, WELCOME_NOTE_ID } from './note.js';

/**
 * A second, tiny app on the engine — the proof that a host needs nothing of Tenantry's own app: one entity,
 * its own migrations and controller, the engine through its public entry (src/tenancy/index.ts) only.
 */
@Controller('notes')
@UseGuards(TenantGuard)
class NotesController {
  constructor(private readonly db: TenantConnectionManager) {}

  @Get()
  list(): Promise<Note[]> {
    return this.db.run((m) => m.getRepository(Note).find({ order: { createdAt: 'ASC' } }));
  }

  @Post()
  create(@Body() body: { body?: unknown }): Promise<Note> {
    return this.db.run((m) => m.getRepository(Note).save({ body: String(body?.body ?? '') }));
  }
}

/** The engine's errors carry a code and its HTTP face; this app answers `{code}` with that status. */
@Catch(AppError)
class EngineErrorFilter implements ExceptionFilter {
  catch(error: AppError, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(error.http.status).send({ code: error.code });
  }
}

@Module({})
export class NotesAppModule {
  static forRoot(settings: TenancySettings): DynamicModule {
    return {
      module: NotesAppModule,
      imports: [
        // The host's core DataSource holds the engine's tables; the host runs the engine's migrations.
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: settings.coreUrl,
          entities: TENANCY_CORE_ENTITIES,
          migrations: TENANCY_CORE_MIGRATIONS,
          migrationsRun: true,
          extra: { max: 4 },
        }),
        ScheduleModule.forRoot(),
        // The async form, as a host whose settings come from its own config provider would use it.
        TenancyModule.forRootAsync({
          useFactory: async () => ({
            tenantEntities: [Note],
            tenantMigrations: NOTE_MIGRATIONS,
            appendOnlyTables: [],
            seedFirstAdmin: async (client, admin) => {
              await client.query(
                `INSERT INTO notes (id, body, author) VALUES ($1, 'Welcome', $2) ON CONFLICT (id) DO NOTHING`,
                [WELCOME_NOTE_ID, admin.email],
              );
            },
            adoptCopy: async () => undefined,
            // This app keeps no owners: an onboarding a crash interrupted is removed by the sweep.
            findOwner: async () => null,
            settings,
          }),
        }),
      ],
      controllers: [NotesController],
      providers: [{ provide: APP_FILTER, useClass: EngineErrorFilter }],
    };
  }
}
