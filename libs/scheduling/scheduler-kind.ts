/**
 * Which alarm clock runs: BullMQ when REDIS_URL is set, the in-process poller otherwise.
 * Deadline rows, the reconciler and both implementations arrive with the deadlines issue.
 */
export type SchedulerKind = 'bullmq' | 'embedded';

export const schedulerKindFromEnv = (env: NodeJS.ProcessEnv = process.env): SchedulerKind => (env.REDIS_URL ? 'bullmq' : 'embedded');
