import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Page } from '../../common/pagination/cursor.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { type Actor, CurrentActor } from '../audit/actor.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import {
  CreatePurchaseRequestDto,
  PurchaseRequestQueryDto,
  ReceiveDto,
  RejectDto,
  UpdatePurchaseRequestDto,
} from './purchase-request.dto.js';
import { PurchaseRequest } from './purchase-request.entity.js';
import { PurchaseRequestService } from './purchase-request.service.js';

@ApiTags('tenant: purchase requests')
@Controller('purchase-requests')
export class PurchaseRequestController {
  constructor(private readonly requests: PurchaseRequestService) {}

  @Post()
  @TenantAuth('admin', 'manager', 'staff')
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePurchaseRequestDto): Promise<PurchaseRequest> {
    return this.requests.create(actor, dto);
  }

  @Get()
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  list(@Query() query: PurchaseRequestQueryDto): Promise<Page<PurchaseRequest>> {
    return this.requests.list(query);
  }

  @Get(':id')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  get(@Param('id', UuidParam) id: string): Promise<PurchaseRequest> {
    return this.requests.get(id);
  }

  @Patch(':id')
  @TenantAuth('admin', 'manager', 'staff')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdatePurchaseRequestDto,
  ) {
    return this.requests.update(actor, id, dto);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @TenantAuth('admin', 'manager', 'staff')
  submit(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string) {
    return this.requests.transition(actor, id, 'submit');
  }

  @Post(':id/approve')
  @HttpCode(200)
  @TenantAuth('admin', 'manager')
  approve(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string) {
    return this.requests.transition(actor, id, 'approve');
  }

  @Post(':id/reject')
  @HttpCode(200)
  @TenantAuth('admin', 'manager')
  reject(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() dto: RejectDto) {
    return this.requests.transition(actor, id, 'reject', { reason: dto.reason });
  }

  @Post(':id/order')
  @HttpCode(200)
  @TenantAuth('admin', 'manager')
  order(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string) {
    return this.requests.transition(actor, id, 'order');
  }

  @Post(':id/receive')
  @HttpCode(200)
  @TenantAuth('admin', 'manager')
  receive(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() dto: ReceiveDto) {
    return this.requests.transition(actor, id, 'receive', { warehouseId: dto.warehouseId });
  }
}
