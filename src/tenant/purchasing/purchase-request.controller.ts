import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { mapPage, Page } from '../../common/pagination/cursor.js';
import { PageOf } from '../../common/pagination/page.response.js';
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
import { PurchaseRequestDto } from './purchase-request.response.js';
import { RequiresFeature } from '../settings/tenant-settings.js';
import { PurchaseRequestService } from './purchase-request.service.js';
import { Operation } from '../../common/openapi/operation.js';

@ApiTags('Purchase requests')
@RequiresFeature('purchasing')
@Controller('purchase-requests')
export class PurchaseRequestController {
  constructor(private readonly requests: PurchaseRequestService) {}

  @Post()
  @TenantAuth('admin', 'manager', 'staff')
  @ApiCreatedResponse({ type: PurchaseRequestDto })
  @Operation(
    'createPurchaseRequest',
    'Create a purchase request (draft)',
    'PRODUCT_NOT_FOUND',
    'SUPPLIER_NOT_FOUND',
    'WAREHOUSE_NOT_FOUND',
    'QUANTITY_OUT_OF_RANGE',
  )
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreatePurchaseRequestDto,
  ): Promise<PurchaseRequestDto> {
    return PurchaseRequestDto.from(await this.requests.create(actor, dto));
  }

  @Get()
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: PageOf(PurchaseRequestDto) })
  @Operation('listPurchaseRequests', 'List purchase requests')
  async list(@Query() query: PurchaseRequestQueryDto): Promise<Page<PurchaseRequestDto>> {
    return mapPage(await this.requests.list(query), PurchaseRequestDto.from);
  }

  @Get(':id')
  @TenantAuth('admin', 'manager', 'staff', 'auditor')
  @ApiOkResponse({ type: PurchaseRequestDto })
  @Operation('getPurchaseRequest', 'Get one purchase request', 'PURCHASE_REQUEST_NOT_FOUND')
  async get(@Param('id', UuidParam) id: string): Promise<PurchaseRequestDto> {
    return PurchaseRequestDto.from(await this.requests.get(id));
  }

  @Patch(':id')
  @TenantAuth('admin', 'manager', 'staff')
  @ApiOkResponse({ type: PurchaseRequestDto })
  @Operation(
    'updatePurchaseRequest',
    'Change a draft purchase request',
    'PURCHASE_REQUEST_NOT_FOUND',
    'PRODUCT_NOT_FOUND',
    'SUPPLIER_NOT_FOUND',
    'WAREHOUSE_NOT_FOUND',
    'INVALID_TRANSITION',
    'QUANTITY_OUT_OF_RANGE',
  )
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdatePurchaseRequestDto,
  ): Promise<PurchaseRequestDto> {
    return PurchaseRequestDto.from(await this.requests.update(actor, id, dto));
  }

  @Post(':id/submit')
  @HttpCode(200)
  @TenantAuth('admin', 'manager', 'staff')
  @ApiOkResponse({ type: PurchaseRequestDto })
  @Operation(
    'submitPurchaseRequest',
    'Submit a draft for approval',
    'PURCHASE_REQUEST_NOT_FOUND',
    'INVALID_TRANSITION',
  )
  async submit(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<PurchaseRequestDto> {
    return PurchaseRequestDto.from(await this.requests.transition(actor, id, 'submit'));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @TenantAuth('admin', 'manager')
  @ApiOkResponse({ type: PurchaseRequestDto })
  @Operation(
    'approvePurchaseRequest',
    'Approve a submitted request (not its requester)',
    'PURCHASE_REQUEST_NOT_FOUND',
    'INVALID_TRANSITION',
    'SELF_APPROVAL',
  )
  async approve(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<PurchaseRequestDto> {
    return PurchaseRequestDto.from(await this.requests.transition(actor, id, 'approve'));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @TenantAuth('admin', 'manager')
  @ApiOkResponse({ type: PurchaseRequestDto })
  @Operation(
    'rejectPurchaseRequest',
    'Reject a submitted request with a reason',
    'PURCHASE_REQUEST_NOT_FOUND',
    'INVALID_TRANSITION',
  )
  async reject(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: RejectDto,
  ): Promise<PurchaseRequestDto> {
    return PurchaseRequestDto.from(
      await this.requests.transition(actor, id, 'reject', { reason: dto.reason }),
    );
  }

  @Post(':id/order')
  @HttpCode(200)
  @TenantAuth('admin', 'manager')
  @ApiOkResponse({ type: PurchaseRequestDto })
  @Operation(
    'orderPurchaseRequest',
    'Mark an approved request as ordered',
    'PURCHASE_REQUEST_NOT_FOUND',
    'INVALID_TRANSITION',
  )
  async order(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<PurchaseRequestDto> {
    return PurchaseRequestDto.from(await this.requests.transition(actor, id, 'order'));
  }

  @Post(':id/receive')
  @HttpCode(200)
  @TenantAuth('admin', 'manager')
  @ApiOkResponse({ type: PurchaseRequestDto })
  @Operation(
    'receivePurchaseRequest',
    'Receive an ordered request: stock comes in',
    'PURCHASE_REQUEST_NOT_FOUND',
    'WAREHOUSE_NOT_FOUND',
    'INVALID_TRANSITION',
    'QUANTITY_OUT_OF_RANGE',
  )
  async receive(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReceiveDto,
  ): Promise<PurchaseRequestDto> {
    const received = await this.requests.transition(actor, id, 'receive', {
      warehouseId: dto.warehouseId,
      lines: dto.lines,
    });
    return PurchaseRequestDto.from(received);
  }
}
