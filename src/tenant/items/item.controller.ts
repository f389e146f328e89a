import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { mapPage, Page } from '../../common/pagination/cursor.js';
import { PageOf } from '../../common/pagination/page.response.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { type Actor, CurrentActor } from '../audit/actor.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { CreateItemDto, ItemQueryDto, UpdateItemDto } from './item.dto.js';
import { ItemDto } from './item.response.js';
import { RequiresFeature } from '../settings/tenant-settings.js';
import { ItemService } from './item.service.js';
import { Operation } from '../../common/openapi/operation.js';

@ApiTags('Items')
@RequiresFeature('items')
@Controller('items')
export class ItemController {
  constructor(private readonly items: ItemService) {}

  @Get()
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: PageOf(ItemDto) })
  @Operation('listItems', 'List or search items')
  async list(@Query() query: ItemQueryDto): Promise<Page<ItemDto>> {
    return mapPage(await this.items.list(query), ItemDto.from);
  }

  @Get(':id')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: ItemDto })
  @Operation('getItem', 'Get one item', 'ITEM_NOT_FOUND')
  async get(@Param('id', UuidParam) id: string): Promise<ItemDto> {
    return ItemDto.from(await this.items.get(id));
  }

  @Post()
  @TenantAuth('admin', 'manager', 'staff')
  @ApiCreatedResponse({ type: ItemDto })
  @Operation('createItem', 'Create an item', 'QUOTA_EXCEEDED', 'FILE_NOT_FOUND')
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateItemDto): Promise<ItemDto> {
    return ItemDto.from(await this.items.create(actor, dto));
  }

  @Patch(':id')
  @TenantAuth('admin', 'manager', 'staff')
  @ApiOkResponse({ type: ItemDto })
  @Operation('updateItem', 'Change an item', 'ITEM_NOT_FOUND', 'FILE_NOT_FOUND')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateItemDto,
  ): Promise<ItemDto> {
    return ItemDto.from(await this.items.update(actor, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantAuth('admin', 'manager', 'staff')
  @Operation('deleteItem', 'Delete an item', 'ITEM_NOT_FOUND')
  remove(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    return this.items.remove(actor, id);
  }
}
