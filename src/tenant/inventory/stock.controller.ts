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

@ApiTags('tenant: stock')
@Controller()
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Post('stock-movements')
  @TenantAuth('admin', 'manager', 'staff')
  @ApiCreatedResponse({ type: StockMovementDto })
  async move(@CurrentActor() actor: Actor, @Body() dto: CreateMovementDto): Promise<StockMovementDto> {
    return StockMovementDto.from(await this.stock.move(actor, dto));
  }

  @Get('stock-movements')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: PageOf(StockMovementDto) })
  async movements(@Query() query: MovementQueryDto): Promise<Page<StockMovementDto>> {
    return mapPage(await this.stock.movements(query), StockMovementDto.from);
  }

  @Get('stock-movements/:id')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: StockMovementDto })
  async movement(@Param('id', UuidParam) id: string): Promise<StockMovementDto> {
    return StockMovementDto.from(await this.stock.movement(id));
  }

  @Get('stock-levels')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: PageOf(StockLevelDto) })
  levels(@Query() query: StockLevelQueryDto): Promise<Page<StockLevelDto>> {
    return this.stock.stockLevels(query, false);
  }

  @Get('stock-levels/low')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: PageOf(StockLevelDto) })
  low(@Query() query: StockLevelQueryDto): Promise<Page<StockLevelDto>> {
    return this.stock.stockLevels(query, true);
  }
}
