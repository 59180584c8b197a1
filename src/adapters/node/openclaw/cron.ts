import { isRecord, type Json } from './json';
import type { Reporter } from './report';

const asRecord = (value: unknown): Json => (isRecord(value) ? value : {});

/** A job id krabkrab accepts (lower-case letters, digits, - and _), unique among the imported jobs. */
function jobId(job: Json, index: number, taken: Set<string>): string {
  const candidates = [job.id, job.name].filter((v): v is string => typeof v === 'string');
  let base = `job-${index + 1}`;
  for (const candidate of candidates) {
    const slug = candidate
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[-_]+|-+$/g, '')
      .slice(0, 56);
    if (slug) {
      base = slug;
      break;
    }
  }
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** OpenClaw's `{kind: "cron"|"every"|"at"}` schedule as krabkrab's `{cron}|{every}|{at}`. */
function schedule(raw: unknown): { schedule: Json | string; tz?: string } | undefined {
  if (typeof raw === 'string') return { schedule: raw };
  const s = asRecord(raw);
  const tz = typeof s.tz === 'string' ? s.tz : undefined;
  const withTz = (value: Json) => (tz ? { schedule: value, tz } : { schedule: value });
  if ((s.kind === 'cron' || s.expr !== undefined) && typeof s.expr === 'string')
    return withTz({ cron: s.expr });
  if (s.kind === 'every' && typeof s.everyMs === 'number')
    return withTz({ every: `${Math.round(s.everyMs / 1000)}s` });
  if (s.kind === 'at') {
    const at =
      typeof s.at === 'string'
        ? s.at
        : typeof s.atMs === 'number'
          ? new Date(s.atMs).toISOString()
          : undefined;
    if (at) return withTz({ at });
  }
  return undefined;
}

/**
 * OpenClaw cron jobs (`cron.jobs` in openclaw.json, or `cron/jobs.json` beside it) as krabkrab's
 * `cron.jobs`: schedule, agent, the prompt, delivery. What has no counterpart is reported.
 */
export function mapCronJobs(jobs: unknown[], source: string, report: Reporter): Json[] {
  const taken = new Set<string>();
  const out: Json[] = [];
  jobs.forEach((raw, index) => {
    const job = asRecord(raw);
    const where = `${source}[${index}]`;
    const when = schedule(job.schedule);
    const payload = asRecord(job.payload);
    const message = [payload.message, payload.text, job.message].find(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    );
    if (!when || !message) {
      report.skip(where, !when ? 'schedule not understood' : 'no prompt (payload.message) to run');
      return;
    }
    const mapped: Json = {
      id: jobId(job, index, taken),
      ...(typeof job.name === 'string' ? { name: job.name } : {}),
      ...when,
      message,
    };
    if (typeof job.agentId === 'string') mapped.agentId = job.agentId;
    if (typeof job.enabled === 'boolean') mapped.enabled = job.enabled;
    if (payload.kind === 'systemEvent')
      report.note(`${where}: a main-session system event in OpenClaw; krabkrab runs it as an agent prompt`);
    const delivery = asRecord(job.delivery);
    if (typeof delivery.channel === 'string' && typeof delivery.to === 'string' && delivery.mode !== 'none') {
      mapped.deliver = {
        channel: delivery.channel,
        to: delivery.to.replace(/^(telegram|discord|channel|user):/, ''),
      };
    }
    for (const key of ['sessionTarget', 'wakeMode', 'deleteAfterRun'])
      if (key in job) report.skip(`${where}.${key}`, 'no such setting in krabkrab');
    out.push(mapped);
  });
  return out;
}
