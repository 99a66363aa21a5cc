import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { UndeclaredInputGuard } from './http/undeclared-input.guard.js';
import { Engine } from '@shenpi/engine';
import { WorkingCalendar } from '@shenpi/scheduling';
import { AttachmentsController } from './attachments/attachments.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthSettings } from './auth/auth-settings.js';
import { CalendarController } from './calendar/calendar.controller.js';
import { ChainsController } from './chains/chains.controller.js';
import { DocumentsController } from './documents/documents.controller.js';
import { HealthController } from './health/health.controller.js';
import { Readiness } from './health/readiness.js';
import { DocumentVisibleGuard, TaskVisibleGuard } from './http/access.guards.js';
import { ErrorFilter } from './http/error.filter.js';
import { validationPipe } from './http/validation.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { ProxiesController } from './proxies/proxies.controller.js';
import { CopiesReceivedController } from './documents/copies-received.controller.js';
import { SupervisionController } from './supervision/supervision.controller.js';
import { TasksController } from './tasks/tasks.controller.js';
import { DepartmentsController } from './users/departments.controller.js';
import { UsersController } from './users/users.controller.js';

/** Every controller of the API (the OpenAPI document is built from them). */
export const API_CONTROLLERS = [AuthController, DocumentsController, TasksController, ChainsController, UsersController, AuditController, CalendarController, NotificationsController, ProxiesController, CopiesReceivedController, AttachmentsController, SupervisionController, DepartmentsController, HealthController];

@Module({})
export class AppModule {
  /** The engine is opened outside Nest (the CLI and worker open it the same way) and handed in. */
  static forEngine(engine: Engine, auth: AuthSettings, calendar: WorkingCalendar, readiness: Readiness = new Readiness(engine)): DynamicModule {
    return {
      module: AppModule,
      controllers: API_CONTROLLERS,
      providers: [
        { provide: Engine, useValue: engine },
        { provide: AuthSettings, useValue: auth },
        { provide: WorkingCalendar, useValue: calendar },
        { provide: Readiness, useValue: readiness },
        { provide: APP_GUARD, useClass: AuthGuard },
        // After authentication: an anonymous caller learns nothing of a route's inputs.
        { provide: APP_GUARD, useClass: UndeclaredInputGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useFactory: validationPipe },
        DocumentVisibleGuard,
        TaskVisibleGuard,
      ],
    };
  }
}
