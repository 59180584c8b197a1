import { buildSessionKey } from '../agent/session-key';
import type { SessionTrust } from '../agent/tools/types';
import { isOwner } from '../agent/trust';
import type { GatewayContext } from '../context';
import { DEFAULT_RETRY_DELAY } from './config';
import { deliverText, toReplyTarget } from './deliver';
import { formatDuration, parseDuration } from './duration';
import { type RunRecord, type RunTrigger, recordRun } from './history';
import { type CronJob, disableJob } from './jobs';
import { scheduleRetry } from './state';

/** What running a job reads: the store (its record, retries), the agents, the channels it delivers to, the log. */
export type CronRunContext = Pick<
  GatewayContext,
  'store' | 'clock' | 'events' | 'log' | 'logs' | 'channels' | 'agents' | 'config'
>;

/** What a reminder (mode `text`) says when it fires. */
export const REMINDER_PREFIX = '⏰ Reminder: ';
const OUTPUT_KEPT = 500;

/** Runs in this process (by context), so an occurrence that comes while the last run still works is skipped, not stacked. */
const running = new WeakMap<object, Map<string, number>>();

export function isRunning(ctx: object, jobId: string): boolean {
  return (running.get(ctx)?.get(jobId) ?? 0) > 0;
}

export interface RunRequest {
  occurrence: number;
  trigger: RunTrigger;
  attempt: number;
}

/**
 * Runs one job once: the message through the agent (its own session) or as plain text, then the
 * reply to `deliver`. Records the run, logs it, and on failure plans the retry the job asks for.
 * Never throws: the outcome is in the returned record.
 */
export async function executeRun(ctx: CronRunContext, job: CronJob, request: RunRequest): Promise<RunRecord> {
  const log = ctx.log.scope('cron');
  const started = ctx.clock.now();
  const record: RunRecord = {
    runId: request.trigger === 'manual' ? `manual-${started}` : `${request.occurrence}-${request.attempt}`,
    jobId: job.id,
    occurrence: new Date(request.occurrence).toISOString(),
    trigger: request.trigger,
    attempt: request.attempt,
    status: 'running',
    startedAt: new Date(started).toISOString(),
  };
  const active = running.get(ctx) ?? new Map<string, number>();
  running.set(ctx, active);
  if (isRunning(ctx, job.id) && request.trigger !== 'manual') {
    const skipped: RunRecord = {
      ...record,
      status: 'skipped',
      durationMs: 0,
      error: 'the previous run of this job is still working',
    };
    log.warn(`job ${job.id}: skipped the run for ${record.occurrence}: the previous run is still working`);
    await recordRun(ctx, skipped);
    return skipped;
  }
  active.set(job.id, (active.get(job.id) ?? 0) + 1);
  try {
    await recordRun(ctx, record);
    log.info(`job ${job.id}: running (${describeTrigger(request)})`);
    const done = await attempt(ctx, job, record);
    // Retry or switch-off first, so whoever sees the final record also sees the job's next state.
    await afterRun(ctx, job, request, done);
    await recordRun(ctx, done);
    return done;
  } finally {
    const left = (active.get(job.id) ?? 1) - 1;
    if (left > 0) active.set(job.id, left);
    else active.delete(job.id);
  }
}

async function attempt(
  ctx: Pick<GatewayContext, 'log' | 'logs' | 'clock' | 'channels' | 'agents' | 'config'>,
  job: CronJob,
  record: RunRecord,
): Promise<RunRecord> {
  const log = ctx.log.scope('cron');
  const started = ctx.clock.now();
  try {
    const text = job.mode === 'text' ? `${REMINDER_PREFIX}${job.message}` : await runAgent(ctx, job);
    const delivered = job.deliver && text.trim() ? await deliverText(ctx, job.deliver, text) : 0;
    const durationMs = ctx.clock.now() - started;
    const where = job.deliver ? `, ${delivered} message(s) to ${job.deliver.channel}` : '';
    log.info(`job ${job.id}: ok in ${formatDuration(durationMs)}${where}`);
    return { ...record, status: 'ok', durationMs, delivered, output: text.slice(0, OUTPUT_KEPT) };
  } catch (error) {
    const message = ctx.logs.redactor.redact(error instanceof Error ? error.message : String(error));
    log.error(`job ${job.id}: failed after ${formatDuration(ctx.clock.now() - started)}: ${message}`);
    return { ...record, status: 'error', durationMs: ctx.clock.now() - started, error: message };
  }
}

async function runAgent(ctx: Pick<GatewayContext, 'agents' | 'config'>, job: CronJob): Promise<string> {
  const { agentId } = ctx.agents.resolveSession(job.agentId ? { agentId: job.agentId } : {});
  const trust = cronJobTrust(job);
  const origin = job.deliver && toReplyTarget(job.deliver);
  const result = await ctx.agents.runTurn({
    agentId,
    sessionKey: cronSessionKey(agentId, job.id),
    message: job.message,
    ...(origin ? { origin } : {}),
    // The delivery target only receives the answer; exec may ask there only when it is the owner's own DM.
    ...(origin && trust === 'owner' && isOwner(ctx.config(), origin.channel, origin.chatId)
      ? { approvalChat: origin }
      : {}),
    trust,
  });
  return result.text;
}

/** Jobs from `krabkrab.json`, the Control UI and the CLI are the owner's; any other (a tool in a chat) runs as a guest. */
export function cronJobTrust(job: CronJob): SessionTrust {
  return job.source === 'config' || job.createdBy === 'control' || job.createdBy === 'cli'
    ? 'owner'
    : 'guest';
}

/** A job's own conversation: `agent:<agentId>:cron:<jobId>:main`, so its runs share context with nothing else. */
export function cronSessionKey(agentId: string, jobId: string): string {
  return buildSessionKey({ agentId, channel: 'cron', accountOrChat: jobId, peer: 'main' });
}

async function afterRun(
  ctx: Pick<GatewayContext, 'store' | 'clock' | 'events' | 'log'>,
  job: CronJob,
  request: RunRequest,
  done: RunRecord,
): Promise<void> {
  if (request.trigger === 'manual') return;
  const retries = job.retry?.attempts ?? 0;
  if (done.status === 'error' && request.attempt <= retries) {
    const base = parseDuration(job.retry?.delay ?? DEFAULT_RETRY_DELAY) ?? 60_000;
    const delay = base * 2 ** (request.attempt - 1);
    const at = ctx.clock.now() + delay;
    await scheduleRetry(ctx, job.id, { occurrence: request.occurrence, attempt: request.attempt + 1, at });
    ctx.log
      .scope('cron')
      .info(`job ${job.id}: retry ${request.attempt}/${retries} in ${formatDuration(delay)}`);
    return;
  }
  // A one-shot runtime job is done once it ran (or ran out of retries): keep it, with its history, switched off.
  if (job.source === 'runtime' && typeof job.schedule === 'object' && job.schedule.at !== undefined)
    await disableJob(ctx, job.id);
}

function describeTrigger(request: RunRequest): string {
  const when = new Date(request.occurrence).toISOString();
  switch (request.trigger) {
    case 'manual':
      return 'started by hand';
    case 'retry':
      return `retry ${request.attempt - 1} of the run for ${when}`;
    case 'catch-up':
      return `catching up the run for ${when}`;
    default:
      return `scheduled for ${when}`;
  }
}
