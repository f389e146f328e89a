import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Page } from '../../common/pagination/cursor.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { type Actor, CurrentActor } from '../audit/actor.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { CreateItemDto, ItemQueryDto, UpdateItemDto } from './item.dto.js';
import { Item } from './item.entity.js';
import { ItemService, RankedItem } from './item.service.js';

@ApiTags('tenant: items')
@Controller('items')
export class ItemController {
  constructor(private readonly items: ItemService) {}

  @Get()
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  list(@Query() query: ItemQueryDto): Promise<Page<RankedItem>> {
    return this.items.list(query);
  }

  @Get(':id')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  get(@Param('id', UuidParam) id: string): Promise<Item> {
    return this.items.get(id);
  }

  @Post()
  @TenantAuth('admin', 'manager', 'staff')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateItemDto): Promise<Item> {
    return this.items.create(actor, dto);
  }

  @Patch(':id')
  @TenantAuth('admin', 'manager', 'staff')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateItemDto,
  ): Promise<Item> {
    return this.items.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantAuth('admin', 'manager', 'staff')
  remove(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    return this.items.remove(actor, id);
  }
}
