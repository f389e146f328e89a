import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { mapPage, Page } from '../../common/pagination/cursor.js';
import { PageOf } from '../../common/pagination/page.response.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { type Actor, CurrentActor } from '../audit/actor.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { StockLevelDto, StockMovementDto } from './stock.response.js';
import { CreateMovementDto, MovementQueryDto, StockLevelQueryDto } from './stock.dto.js';
import { StockService } from './stock.service.js';
import { Operation } from '../../common/openapi/operation.js';

@ApiTags('Stock')
@Controller()
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Post('stock-movements')
  @TenantAuth('admin', 'manager', 'staff')
  @ApiCreatedResponse({ type: StockMovementDto })
  @Operation(
    'createStockMovement',
    'Record a stock movement (in, out, adjust, transfer)',
    'PRODUCT_NOT_FOUND',
    'WAREHOUSE_NOT_FOUND',
    'INSUFFICIENT_STOCK',
    'QUANTITY_OUT_OF_RANGE',
  )
  async move(@CurrentActor() actor: Actor, @Body() dto: CreateMovementDto): Promise<StockMovementDto> {
    return StockMovementDto.from(await this.stock.move(actor, dto));
  }

  @Get('stock-movements')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: PageOf(StockMovementDto) })
  @Operation('listStockMovements', 'List stock movements')
  async movements(@Query() query: MovementQueryDto): Promise<Page<StockMovementDto>> {
    return mapPage(await this.stock.movements(query), StockMovementDto.from);
  }

  @Get('stock-movements/:id')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: StockMovementDto })
  @Operation('getStockMovement', 'Get one stock movement', 'STOCK_MOVEMENT_NOT_FOUND')
  async movement(@Param('id', UuidParam) id: string): Promise<StockMovementDto> {
    return StockMovementDto.from(await this.stock.movement(id));
  }

  @Get('stock-levels')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: PageOf(StockLevelDto) })
  @Operation('listStockLevels', 'Stock levels per product and warehouse')
  levels(@Query() query: StockLevelQueryDto): Promise<Page<StockLevelDto>> {
    return this.stock.stockLevels(query, false);
  }

  @Get('stock-levels/low')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: PageOf(StockLevelDto) })
  @Operation('listLowStockLevels', 'Stock levels at or below their reorder point')
  low(@Query() query: StockLevelQueryDto): Promise<Page<StockLevelDto>> {
    return this.stock.stockLevels(query, true);
  }
}
