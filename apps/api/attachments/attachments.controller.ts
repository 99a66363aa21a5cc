import { Body, Controller, Get, Headers, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { isUuid, notFound, validationFailed, type Principal } from '@shenpi/domain';
import { Engine, type AttachmentRow } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { DocumentVisibleGuard, TaskVisibleGuard } from '../http/access.guards.js';
import { isUploadType, mediaType, UploadRoute } from '../http/body-gate.js';
import { contentDisposition } from './content-disposition.js';
import { ApiDoc } from '../openapi/route-doc.js';

export class UploadQuery {
  /** The file's name as shown to users (the engine checks it: AttachmentUseCase). */
  @IsString() name: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) expectedVersion?: number;
}

const view = (a: AttachmentRow) => ({ ...a, url: `/api/attachments/${a.id}` });

/** Raw bytes in (the body gate has checked the media type): the media type is the request's content-type. */
function upload(body: unknown, contentType: string | undefined) {
  if (!Buffer.isBuffer(body)) throw validationFailed([{ field: 'body', reason: 'send the file as the raw body (e.g. content-type: application/pdf)' }]);
  if (!body.length) throw validationFailed([{ field: 'body', reason: 'the file is empty' }]);
  return { data: body, contentType: mediaType(contentType) };
}

/**
 * A download is always saved, never shown: `attachment`, no sniffing, and a policy under which
 * even a browser that did render it would run nothing. A type no longer accepted for upload (an
 * SVG stored before, say) goes out as plain bytes.
 */
const DOWNLOAD_POLICY = "default-src 'none'; sandbox";

/** Attachments: on a document (drafter, editable step), on a task (its reviewer), and their download. */
@Controller('api')
export class AttachmentsController {
  constructor(private readonly engine: Engine) {}

  @ApiDoc({ summary: 'Attach a file to a document (drafter, editable step)', body: 'file', ok: 'Attachment', errors: [403, 404, 409, 422] })
  @Post('documents/:id/attachments')
  @UploadRoute()
  @UseGuards(DocumentVisibleGuard)
  async toDocument(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: UploadQuery, @Body() body: Buffer, @Headers('content-type') type?: string) {
    return view(await this.engine.attachments.toDocument(p, id, { name: q.name, expectedVersion: q.expectedVersion, ...upload(body, type) }));
  }

  @ApiDoc({ summary: 'Attach a file to a task (its reviewer)', body: 'file', ok: 'Attachment', errors: [403, 404, 409, 422] })
  @Post('tasks/:id/attachments')
  @UploadRoute()
  @UseGuards(TaskVisibleGuard)
  async toTask(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: UploadQuery, @Body() body: Buffer, @Headers('content-type') type?: string) {
    if (q.expectedVersion !== undefined) throw validationFailed([{ field: 'expectedVersion', reason: 'a task attachment does not change the document' }]);
    return view(await this.engine.attachments.toTask(p, id, { name: q.name, ...upload(body, type) }));
  }

  @ApiDoc({ summary: 'A document\'s attachments', ok: 'AttachmentList', errors: [404] })
  @Get('documents/:id/attachments')
  @UseGuards(DocumentVisibleGuard)
  async list(@Param('id') id: string) {
    return { items: (await this.engine.documentReadModel.attachments(id)).map(view) };
  }

  @ApiDoc({ summary: 'Download an attachment (always as a file to save)', okContent: { '*/*': { description: 'The bytes as uploaded, as their own media type (application/octet-stream for a type no longer accepted).' } }, errors: [404] })
  @Get('attachments/:id')
  async download(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Res() res: FastifyReply) {
    if (!isUuid(id)) throw notFound('attachment');
    const { attachment, data } = await this.engine.attachments.download(p, id);
    await res
      .header('content-type', isUploadType(attachment.contentType) ? attachment.contentType : 'application/octet-stream')
      .header('content-disposition', contentDisposition(attachment.name))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', DOWNLOAD_POLICY)
      .header('x-content-sha256', attachment.sha256)
      .send(data);
  }
}
