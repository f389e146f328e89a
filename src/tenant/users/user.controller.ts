import { PageOf } from '../../common/pagination/page.response.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Page, PageQueryDto } from '../../common/pagination/cursor.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { CurrentUser, TenantAuth } from '../auth/tenant-auth.decorators.js';
import { type Actor, CurrentActor } from '../audit/actor.js';
import { CreateUserDto, UpdateUserDto, UserDto } from './user.dto.js';
import type { User } from '../identity/user.entity.js';
import { UserService } from './user.service.js';
import { Operation } from '../../common/openapi/operation.js';

@ApiTags('Users')
@Controller('users')
export class UserController {
  constructor(private readonly users: UserService) {}

  /** The signed-in user, as the tenant JWT strategy loaded it (no second query). */
  @Get('me')
  @TenantAuth()
  @ApiOkResponse({ type: UserDto })
  @Operation('getCurrentUser', 'The signed-in tenant user')
  me(@CurrentUser() user: User): UserDto {
    return UserDto.from(user);
  }

  @Get()
  @TenantAuth('admin')
  @ApiOkResponse({ type: PageOf(UserDto) })
  @Operation('listUsers', "List the tenant's users")
  list(@Query() query: PageQueryDto): Promise<Page<UserDto>> {
    return this.users.list(query);
  }

  @Post()
  @TenantAuth('admin')
  @ApiCreatedResponse({ type: UserDto })
  @Operation('createUser', 'Create a tenant user', 'EMAIL_TAKEN', 'WEAK_PASSWORD', 'QUOTA_EXCEEDED')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, dto);
  }

  @Get(':id')
  @TenantAuth('admin')
  @ApiOkResponse({ type: UserDto })
  @Operation('getUser', 'Get one tenant user', 'USER_NOT_FOUND')
  get(@Param('id', UuidParam) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @TenantAuth()
  @ApiOkResponse({ type: UserDto })
  @Operation(
    'updateUser',
    'Change a tenant user (admins: anyone; others: themselves)',
    'USER_NOT_FOUND',
    'EMAIL_TAKEN',
    'WEAK_PASSWORD',
    'OWNER_PROTECTED',
    'LAST_ADMIN',
    'RATE_LIMITED',
  )
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
  @Operation(
    'deactivateUser',
    'Deactivate a tenant user and end their sessions',
    'USER_NOT_FOUND',
    'OWNER_PROTECTED',
    'LAST_ADMIN',
  )
  deactivate(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    return this.users.deactivate(actor, id);
  }
}
