import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { isUuid, notFound, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { PageQuery } from '../http/page.query.js';
import { ApiDoc } from '../openapi/route-doc.js';

export class NotificationsQuery extends PageQuery {
  @IsOptional() @IsIn(['true', 'false']) unread?: 'true' | 'false';
}

/** Reminders and escalations for the caller (in-app). */
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly engine: Engine) {}

  @ApiDoc({ summary: 'The caller\'s notifications', ok: 'NotificationPage' })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() q: NotificationsQuery) {
    return this.engine.inboxReadModel.notifications(principal, q.unread === 'true', q.cursor, q.limit ?? 50);
  }

  @ApiDoc({ summary: 'Mark a notification read', errors: [404] })
  @Post(':id/read')
  @HttpCode(204)
  async read(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    if (!isUuid(id)) throw notFound('notification');
    await this.engine.notifications.markRead(principal, id);
  }
}
