import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Page } from '../../common/pagination/cursor.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { type Actor, CurrentActor } from '../audit/actor.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { StockMovement } from './stock-movement.entity.js';
import { CreateMovementDto, MovementQueryDto, StockLevelQueryDto } from './stock.dto.js';
import { StockLevelView, StockService } from './stock.service.js';

@ApiTags('tenant: stock')
@Controller()
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Post('stock-movements')
  @TenantAuth('admin', 'manager', 'staff')
  move(@CurrentActor() actor: Actor, @Body() dto: CreateMovementDto): Promise<StockMovement> {
    return this.stock.move(actor, dto);
  }

  @Get('stock-movements')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  movements(@Query() query: MovementQueryDto): Promise<Page<StockMovement>> {
    return this.stock.movements(query);
  }

  @Get('stock-movements/:id')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  movement(@Param('id', UuidParam) id: string): Promise<StockMovement> {
    return this.stock.movement(id);
  }

  @Get('stock-levels')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  levels(@Query() query: StockLevelQueryDto): Promise<Page<StockLevelView>> {
    return this.stock.stockLevels(query, false);
  }

  @Get('stock-levels/low')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  low(@Query() query: StockLevelQueryDto): Promise<Page<StockLevelView>> {
    return this.stock.stockLevels(query, true);
  }
}
