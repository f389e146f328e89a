import { PageOf } from '../../common/pagination/page.response.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Page, PageQueryDto } from '../../common/pagination/cursor.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { CurrentUser, TenantAuth } from '../auth/tenant-auth.decorators.js';
import { type Actor, CurrentActor } from '../audit/actor.js';
import { CreateUserDto, UpdateUserDto, UserDto } from './user.dto.js';
import type { User } from './user.entity.js';
import { UserService } from './user.service.js';

@ApiTags('tenant: users')
@Controller('users')
export class UserController {
  constructor(private readonly users: UserService) {}

  /** The signed-in user, as the tenant JWT strategy loaded it (no second query). */
  @Get('me')
  @TenantAuth()
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: User): UserDto {
    return UserDto.from(user);
  }

  @Get()
  @TenantAuth('admin')
  @ApiOkResponse({ type: PageOf(UserDto) })
  list(@Query() query: PageQueryDto): Promise<Page<UserDto>> {
    return this.users.list(query);
  }

  @Post()
  @TenantAuth('admin')
  @ApiCreatedResponse({ type: UserDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, dto);
  }

  @Get(':id')
  @TenantAuth('admin')
  @ApiOkResponse({ type: UserDto })
  get(@Param('id', UuidParam) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @TenantAuth()
  @ApiOkResponse({ type: UserDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return this.users.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantAuth('admin')
  deactivate(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    return this.users.deactivate(actor, id);
  }
}
