import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, isUuid, notFound, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { AuthSettings } from '../auth/auth-settings.js';
import { principalOf } from '../auth/auth.guard.js';
import { CurrentPrincipal, Public } from '../auth/principal.decorator.js';
import { PageQuery } from '../http/page.query.js';
import { ApiDoc } from '../openapi/route-doc.js';
import { streamNotifications } from './notification-stream.js';

export class NotificationsQuery extends PageQuery {
  @IsOptional() @IsIn(['true', 'false']) unread?: 'true' | 'false';
}

/** One's own notification settings; the engine checks each kind and channel. */
export class NotificationSettingsDto {
  @IsOptional() @IsString() @MaxLength(254) email?: string | null;
  @IsOptional() @IsObject() kinds?: Record<string, { inApp?: boolean; email?: boolean }>;
}

/** The caller's notifications (in-app): new tasks, returns, decisions and disclosures of their documents, reminders, escalations, urges, copies. */
@Controller('api/notifications')
export class NotificationsController {
  constructor(
    private readonly engine: Engine,
    private readonly auth: AuthSettings,
  ) {}

  /**
   * Server-sent events. The token comes as the bearer header or, for a browser's EventSource (which
   * cannot set headers), as `?access_token=`; checked as the guard checks it, and again while open.
   */
  @ApiDoc({
    summary: 'New notifications as server-sent events (`event: notification`, its id for Last-Event-ID)',
    okContent: { 'text/event-stream': { type: 'string' } },
    errors: [401, 429],
    security: [{ bearer: [] }, { accessToken: [] }],
    parameters: [{ name: 'Last-Event-ID', in: 'header', required: false, description: 'Resume after this notification.', schema: { type: 'string' } }],
  })
  @Public()
  @Get('stream')
  async stream(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const header = req.headers.authorization ?? (typeof query.access_token === 'string' ? `Bearer ${query.access_token}` : '');
    const principal = await principalOf(header, this.engine, this.auth);
    if (!principal) throw new DomainError(ErrorCode.UNAUTHENTICATED, header ? 'the token is invalid or expired' : 'a bearer token is required');
    await streamNotifications(this.engine, req, reply, principal, async () => (await principalOf(header, this.engine, this.auth))?.id === principal.id);
  }

  @ApiDoc({ summary: 'The caller\'s notifications', ok: 'NotificationPage' })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() q: NotificationsQuery) {
    return this.engine.inboxReadModel.notifications(principal, q.unread === 'true', q.cursor, q.limit ?? 50);
  }

  /** Where e-mail goes and, per kind, whether it shows in the app and goes by e-mail. */
  @ApiDoc({ summary: 'The caller\'s notification settings: e-mail address, and per kind in-app and e-mail', ok: 'NotificationSettings' })
  @Get('settings')
  settings(@CurrentPrincipal() principal: Principal) {
    return this.engine.emails.settings(principal);
  }

  @ApiDoc({
    summary: 'Change the caller\'s notification settings',
    ok: 'NotificationSettings',
    examples: { request: { email: 'drafter@example.gov.cn', kinds: { 'task-assigned': { inApp: true, email: true } } } },
  })
  @Put('settings')
  changeSettings(@CurrentPrincipal() principal: Principal, @Body() body: NotificationSettingsDto) {
    return this.engine.emails.changeSettings(principal, body);
  }

  @ApiDoc({ summary: 'Mark a notification read', errors: [404] })
  @Post(':id/read')
  @HttpCode(204)
  async read(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    if (!isUuid(id)) throw notFound('notification');
    await this.engine.notifications.markRead(principal, id);
  }
}
