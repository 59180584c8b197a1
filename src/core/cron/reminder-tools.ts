import { defineTool, type ToolContext } from '../agent/tools/types';
import { randomToken } from '../auth/token';
import type { ReplyTarget } from '../channels/types';
import type { GatewayContext } from '../context';
import { GatewayError } from '../errors';
import * as z from '../zod';
import { type CronJobInput, cronExpressionProblem, isTimeZone, MIN_INTERVAL_MS } from './config';
import { DEFAULT_ACCOUNT, fromReplyTarget } from './deliver';
import { parseDuration } from './duration';
import { addJob, type CronJob, listJobs, removeJob } from './jobs';
import { resolveAt } from './schedule';
import { describeJob } from './view';

/** Reminders one conversation may have pending at once. */
export const MAX_REMINDERS_PER_CONVERSATION = 50;
const CREATED_BY = 'reminder';
/** A one-shot time this far in the past is refused (the model's "now" is rarely exact). */
const PAST_GRACE_MS = 60_000;

export const reminderAdd = defineTool({
  name: 'reminder_add',
  description:
    'Set a reminder that is sent to this conversation later. `when` is an ISO-8601 time ("2026-04-01T09:00:00+02:00"; ' +
    'without an offset it is read in `timezone`), a delay ("in 20m", "in 2h", "in 1d"), a cron expression for a repeating ' +
    'reminder ("0 9 * * 1-5" = weekdays 09:00), or "every 2h". Resolve natural phrases ("tomorrow at 9") into one of these; ' +
    'call current_time first if you need the date.',
  // Scoped to the conversation they are set in, so guests may use them for their own chat.
  profile: 'messaging',
  guestSafe: true,
  parameters: z.object({
    when: z
      .string()
      .min(1)
      .max(100)
      .describe('ISO-8601 time, "in <duration>", a cron expression, or "every <duration>"'),
    text: z.string().min(1).max(2000).describe('what to remind the user of'),
    timezone: z
      .string()
      .max(64)
      .optional()
      .describe('IANA time zone for cron expressions and times without an offset'),
  }),
  async run({ when, text, timezone }, toolCtx) {
    const origin = requireOrigin(toolCtx);
    const { ctx } = toolCtx;
    const tz = timezone ?? ctx.config().cron?.timezone ?? 'UTC';
    if (!isTimeZone(tz))
      throw new GatewayError(
        'BAD_REQUEST',
        `unknown time zone ${JSON.stringify(tz)}; use an IANA name like "Europe/Berlin"`,
      );
    const pending = (await remindersOf(toolCtx.ctx, origin)).length;
    if (pending >= MAX_REMINDERS_PER_CONVERSATION) {
      throw new GatewayError(
        'CONFLICT',
        `this conversation already has ${pending} reminders; cancel some first`,
      );
    }
    const job: CronJobInput = {
      id: `rem-${randomToken(4)}`,
      name: text.length > 60 ? `${text.slice(0, 59)}…` : text,
      schedule: toSchedule(when, tz, ctx.clock.now()),
      tz,
      message: text,
      mode: 'text',
      deliver: fromReplyTarget(origin),
    };
    const added = await addJob(ctx, job, CREATED_BY);
    const view = await describeJob(ctx, added);
    ctx.log
      .scope('cron')
      .info(`reminder ${added.id} set for ${view.nextRunAt ?? 'never'} (${origin.channel})`);
    return {
      id: added.id,
      text,
      next: view.nextRunAt ?? null,
      repeats: !('at' in view.schedule),
      timezone: tz,
    };
  },
});

export const reminderList = defineTool({
  name: 'reminder_list',
  description: "List this conversation's pending reminders (id, text, next time).",
  profile: 'messaging',
  guestSafe: true,
  parameters: z.object({}),
  async run(_args, toolCtx) {
    const origin = requireOrigin(toolCtx);
    const reminders = await remindersOf(toolCtx.ctx, origin);
    const views = await Promise.all(reminders.map((job) => describeJob(toolCtx.ctx, job)));
    return {
      reminders: views.map((view) => ({
        id: view.id,
        text: view.message,
        next: view.nextRunAt ?? null,
        schedule: view.schedule,
        timezone: view.timezone,
      })),
    };
  },
});

export const reminderCancel = defineTool({
  name: 'reminder_cancel',
  description: "Cancel one of this conversation's reminders by its id (from reminder_list or reminder_add).",
  profile: 'messaging',
  guestSafe: true,
  parameters: z.object({ id: z.string().min(1).max(80) }),
  async run({ id }, toolCtx) {
    const origin = requireOrigin(toolCtx);
    const reminder = (await remindersOf(toolCtx.ctx, origin, true)).find((job) => job.id === id);
    // Another conversation's reminder is reported as absent: its existence is not ours to reveal.
    if (!reminder)
      throw new GatewayError('NOT_FOUND', `no reminder ${JSON.stringify(id)} in this conversation`);
    await removeJob(toolCtx.ctx, id);
    return { cancelled: id, text: reminder.message };
  },
});

function requireOrigin(toolCtx: Pick<ToolContext, 'origin'>): ReplyTarget {
  if (!toolCtx.origin)
    throw new GatewayError(
      'BAD_REQUEST',
      'reminders need a chat to be delivered to, and this conversation has none',
    );
  return toolCtx.origin;
}

/** The reminders set from this conversation (same channel, account, chat and thread); pending ones unless `all`. */
async function remindersOf(
  ctx: Pick<GatewayContext, 'config' | 'store' | 'log'>,
  origin: ReplyTarget,
  all = false,
): Promise<CronJob[]> {
  return (await listJobs(ctx)).filter(
    (job) =>
      job.createdBy === CREATED_BY &&
      (all || job.enabled !== false) &&
      job.deliver?.channel === origin.channel &&
      job.deliver.to === origin.chatId &&
      (job.deliver.accountId ?? DEFAULT_ACCOUNT) === (origin.accountId || DEFAULT_ACCOUNT) &&
      job.deliver.threadId === origin.threadId,
  );
}

/** Reads `when` into a job schedule; errors say what the model should send instead. */
export function toSchedule(when: string, timezone: string, now: number): CronJobInput['schedule'] {
  const text = when.trim();
  const relative = /^in\s+(.+)$/i.exec(text);
  if (relative) {
    const ms = parseDuration(relative[1] ?? '');
    if (ms === undefined)
      throw new GatewayError(
        'BAD_REQUEST',
        `cannot read the delay in ${JSON.stringify(when)}; write e.g. "in 20m", "in 1h30m", "in 2d"`,
      );
    return { at: new Date(now + ms).toISOString() };
  }
  const every = /^every\s+(.+)$/i.exec(text);
  if (every) {
    const ms = parseDuration(every[1] ?? '');
    if (ms === undefined || ms < MIN_INTERVAL_MS)
      throw new GatewayError(
        'BAD_REQUEST',
        `cannot read the interval in ${JSON.stringify(when)}; write e.g. "every 2h" (at least 10s)`,
      );
    return { every: every[1]?.trim() ?? '' };
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    let at: number;
    try {
      at = resolveAt(text, timezone);
    } catch {
      throw new GatewayError(
        'BAD_REQUEST',
        `cannot read the time ${JSON.stringify(when)}; write ISO-8601, e.g. "2026-04-01T09:00:00+02:00"`,
      );
    }
    if (at < now - PAST_GRACE_MS) {
      throw new GatewayError(
        'BAD_REQUEST',
        `${text} is in the past (it is now ${new Date(now).toISOString()}); pick a later time`,
      );
    }
    return { at: text };
  }
  const problem = cronExpressionProblem(text);
  if (problem) {
    throw new GatewayError(
      'BAD_REQUEST',
      `cannot read when=${JSON.stringify(when)}: give an ISO-8601 time, "in 20m", "every 2h" or a cron expression (${problem})`,
    );
  }
  return text;
}
