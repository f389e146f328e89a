import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Page, PageQueryDto } from '../../common/pagination/cursor.js';
import { PageOf } from '../../common/pagination/page.response.js';
import { validationFailed } from '../../common/validation/validation.pipe.js';
import { type TenantRequest } from '../../tenancy/index.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/tenant-auth.guard.js';
import { EVENT_TYPES, type EventType } from './event.entity.js';
import { EventLogService, EventDto } from './event-log.service.js';
import { EventStreams } from './event-streams.js';
import { Operation } from '../../common/openapi/operation.js';
import { Optional } from '../../common/validation/optional.decorator.js';

export class EventLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    description: 'By id (commit order); default desc, newest first.',
  })
  @Optional()
  @IsIn(['asc', 'desc'])
  declare order?: 'asc' | 'desc';

  @ApiPropertyOptional({ enum: EVENT_TYPES })
  @Optional()
  @IsIn(EVENT_TYPES)
  type?: EventType;
}

export class EventStreamQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Resume after this event id (for clients that cannot send Last-Event-ID).',
  })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  lastEventId?: number;
}

const EVENT_ID = /^\d{1,15}$/;

@ApiTags('Events')
@Controller('events')
export class EventsController {
  constructor(
    private readonly streams: EventStreams,
    private readonly log: EventLogService,
  ) {}

  /** `text/event-stream` of the tenant's events; `Last-Event-ID` (or `?lastEventId=`) resumes after it. */
  @Get()
  @TenantAuth()
  @ApiOkResponse({
    description: 'Server-Sent Events',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiHeader({
    name: 'last-event-id',
    required: false,
    description: 'Resume after this event id (EventSource sends it on reconnect); absent: from now on',
  })
  @Operation('streamEvents', "The tenant's events as a live stream (Server-Sent Events)", 'RATE_LIMITED')
  async stream(
    @Req() request: FastifyRequest & TenantRequest & AuthenticatedRequest,
    @Res() reply: FastifyReply,
    @Query() query: EventStreamQueryDto,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    if (lastEventId !== undefined && !EVENT_ID.test(lastEventId))
      throw validationFailed([{ field: 'Last-Event-ID', message: 'must be an event id' }]);
    const after = lastEventId !== undefined ? Number(lastEventId) : (query.lastEventId ?? null);
    const session = { userId: request.user!.id, role: request.user!.role, ...request.token! };
    const release = this.streams.admit(request.tenant!.id, session);
    reply.hijack();
    await this.streams.open(
      request.tenant!,
      reply.raw,
      after,
      { 'x-request-id': String(request.id) },
      session,
      release,
    );
  }

  @Get('log')
  @TenantAuth()
  @ApiOkResponse({ type: PageOf(EventDto) })
  @Operation('listEvents', "The tenant's event log")
  list(@Query() query: EventLogQueryDto): Promise<Page<EventDto>> {
    return this.log.list(query);
  }
}
