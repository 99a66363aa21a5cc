import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { isUuid, notFound, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';

export class NotificationsQuery {
  @IsOptional() @IsIn(['true', 'false']) unread?: 'true' | 'false';
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

/** Reminders and escalations for the caller (in-app). */
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly engine: Engine) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() q: NotificationsQuery) {
    return this.engine.queries.notifications(principal, q.unread === 'true', q.cursor, q.limit ?? 50);
  }

  @Post(':id/read')
  @HttpCode(204)
  async read(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    if (!isUuid(id)) throw notFound('notification');
    await this.engine.notifications.markRead(principal, id);
  }
}
