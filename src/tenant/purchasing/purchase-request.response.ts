import { ApiProperty } from '@nestjs/swagger';
import type { PurchaseRequestLine } from './purchase-request-line.entity.js';
import { AttachmentsReply } from '../files/attachments.js';
import { PR_STATUSES, type PurchaseRequest, type PurchaseRequestStatus } from './purchase-request.entity.js';

export class PurchaseLineDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  purchaseRequestId!: string;

  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiProperty()
  quantity!: number;

  @ApiProperty({ nullable: true, type: 'integer', description: 'Minor units (cents), as sent.' })
  unitPriceCents!: number | null;

  static from(l: PurchaseRequestLine): PurchaseLineDto {
    return {
      id: l.id,
      purchaseRequestId: l.purchaseRequestId,
      productId: l.productId,
      quantity: l.quantity,
      // Stored as bigint (pg returns a string); at most 10^12 by validation, so exact as a number.
      unitPriceCents: l.unitPriceCents === null ? null : Number(l.unitPriceCents),
    };
  }
}

export class PurchaseRequestDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'PR-000042' })
  number!: string;

  @ApiProperty({ enum: PR_STATUSES })
  status!: PurchaseRequestStatus;

  @ApiProperty({ format: 'uuid' })
  requesterId!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  approverId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  rejectionReason!: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  receivedWarehouseId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  note!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String }) submittedAt!: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) approvedAt!: Date | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) approvedBy!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) rejectedAt!: Date | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) rejectedBy!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) orderedAt!: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) receivedAt!: Date | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) receivedBy!: string | null;

  @ApiProperty({ type: [PurchaseLineDto] })
  lines!: PurchaseLineDto[];

  @AttachmentsReply()
  attachments!: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: Date;

  static from(pr: PurchaseRequest): PurchaseRequestDto {
    const dto: PurchaseRequestDto = {
      id: pr.id,
      number: pr.number,
      status: pr.status,
      requesterId: pr.requesterId,
      approverId: pr.approverId,
      rejectionReason: pr.rejectionReason,
      receivedWarehouseId: pr.receivedWarehouseId,
      note: pr.note,
      submittedAt: pr.submittedAt,
      approvedAt: pr.approvedAt,
      approvedBy: pr.approvedBy,
      rejectedAt: pr.rejectedAt,
      rejectedBy: pr.rejectedBy,
      orderedAt: pr.orderedAt,
      receivedAt: pr.receivedAt,
      receivedBy: pr.receivedBy,
      // The service reads every request with its lines (one read, or one query for a page).
      lines: pr.lines!.map(PurchaseLineDto.from),
      attachments: pr.attachmentIds ?? [],
      createdAt: pr.createdAt,
      updatedAt: pr.updatedAt,
    };
    return dto;
  }
}
