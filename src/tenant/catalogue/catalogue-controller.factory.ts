import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Inject,
  Patch,
  Post,
  Query,
  Type,
} from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Operation } from '../../common/openapi/operation.js';
import type { ProblemCode } from '../../common/openapi/problem-codes.js';
import { PageOf } from '../../common/pagination/page.response.js';
import { Page } from '../../common/pagination/cursor.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { createValidationPipe } from '../../common/validation/validation.pipe.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { type Actor, CurrentActor } from '../audit/actor.js';
import type { CatalogueQuery, CatalogueRecord, CatalogueService } from './catalogue.service.js';

interface CatalogueRoutes {
  path: string;
  tag: string;
  /** The record's name, singular and plural, for operation ids and summaries (`Product`, `Products`). */
  one: string;
  many: string;
  /** The code of a record of this kind that does not exist. */
  notFound: ProblemCode;
  /** What creating or changing one can answer beyond validation (a taken key, a reference to nothing). */
  writeCodes: ProblemCode[];
  service: Type<CatalogueService<CatalogueRecord, unknown>>;
  create: Type;
  update: Type;
  query: Type;
  /** The response DTO of one record. */
  response: Type;
}

/**
 * The five routes every catalogue resource has (docs/reference/api.md roles: read all, write admin and manager,
 * delete admin). Bodies and queries are validated against the given DTO classes.
 */
export function catalogueController(routes: CatalogueRoutes): Type {
  @ApiTags(routes.tag)
  @Controller(routes.path)
  class CatalogueController {
    constructor(@Inject(routes.service) readonly service: CatalogueService<CatalogueRecord, unknown>) {}

    @Get()
    @TenantAuth('admin', 'manager', 'staff', 'auditor')
    @Operation(`list${routes.many}`, `List ${routes.many.toLowerCase()}`)
    @ApiOkResponse({ type: PageOf(routes.response) })
    list(@Query(createValidationPipe(routes.query)) query: CatalogueQuery): Promise<Page<unknown>> {
      return this.service.list(query);
    }

    @Get(':id')
    @TenantAuth('admin', 'manager', 'staff', 'auditor')
    @Operation(`get${routes.one}`, `Get one ${routes.one.toLowerCase()}`, routes.notFound)
    @ApiOkResponse({ type: routes.response })
    get(@Param('id', UuidParam) id: string): Promise<unknown> {
      return this.service.get(id);
    }

    @Post()
    @TenantAuth('admin', 'manager')
    @Operation(
      `create${routes.one}`,
      `Create a ${routes.one.toLowerCase()}`,
      'QUOTA_EXCEEDED',
      ...routes.writeCodes,
    )
    @ApiBody({ type: routes.create })
    @ApiCreatedResponse({ type: routes.response })
    create(
      @CurrentActor() actor: Actor,
      @Body(createValidationPipe(routes.create)) dto: object,
    ): Promise<unknown> {
      return this.service.create(actor, dto);
    }

    @Patch(':id')
    @TenantAuth('admin', 'manager')
    @Operation(
      `update${routes.one}`,
      `Change a ${routes.one.toLowerCase()}`,
      routes.notFound,
      ...routes.writeCodes,
    )
    @ApiBody({ type: routes.update })
    @ApiOkResponse({ type: routes.response })
    update(
      @CurrentActor() actor: Actor,
      @Param('id', UuidParam) id: string,
      @Body(createValidationPipe(routes.update)) dto: object,
    ): Promise<unknown> {
      return this.service.update(actor, id, dto);
    }

    @Delete(':id')
    @HttpCode(204)
    @TenantAuth('admin')
    @Operation(`delete${routes.one}`, `Delete a ${routes.one.toLowerCase()} (soft)`, routes.notFound)
    remove(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
      return this.service.remove(actor, id);
    }
  }
  // The list's query type, as TypeScript would have emitted it for a concrete class: Swagger documents its
  // parameters (`?q=`, `?supplierId=`, `?category=`, paging) from it.
  Reflect.defineMetadata('design:paramtypes', [routes.query], CatalogueController.prototype, 'list');
  // Nest's logs name controllers by class: one name per resource.
  Object.defineProperty(CatalogueController, 'name', { value: `${routes.one}Controller` });
  return CatalogueController;
}
