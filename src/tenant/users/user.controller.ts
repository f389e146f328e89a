import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Page, PageQueryDto } from '../../common/pagination/cursor.js';
import { validationFailed } from '../../common/validation/validation.pipe.js';
import { CurrentUser, TenantAuth } from '../auth/tenant-auth.decorators.js';
import { CreateUserDto, UpdateUserDto, UserDto } from './user.dto.js';
import type { User } from './user.entity.js';
import { UserService } from './user.service.js';

const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () => validationFailed([{ field: 'id', message: 'id must be a UUID' }]),
});

@ApiTags('tenant: users')
@Controller('users')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Get()
  @TenantAuth('admin')
  list(@Query() query: PageQueryDto): Promise<Page<UserDto>> {
    return this.users.list(query);
  }

  @Post()
  @TenantAuth('admin')
  create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(dto);
  }

  @Get(':id')
  @TenantAuth('admin')
  get(@Param('id', UuidParam) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @TenantAuth()
  update(
    @CurrentUser() caller: User,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return this.users.update(caller, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantAuth('admin')
  deactivate(@Param('id', UuidParam) id: string): Promise<void> {
    return this.users.deactivate(id);
  }
}

/** `GET /users/me` needs nothing but the authenticated user: a singleton, outside the per-tenant DI tree. */
@ApiTags('tenant: users')
@Controller('users')
export class UserMeController {
  @Get('me')
  @TenantAuth()
  me(@CurrentUser() user: User): UserDto {
    return UserDto.from(user);
  }
}
