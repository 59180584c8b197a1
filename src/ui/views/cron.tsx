import { useState } from 'preact/hooks';
import { ErrorNote, Unavailable, ViewHeader } from '../components/notices';
import { useApp } from '../lib/app-context';
import type { RequestError } from '../lib/client';
import { formatTime, pickList, pickString } from '../lib/format';
import { useRequest } from '../lib/use-request';

type Job = Record<string, unknown>;

/** Scheduled jobs (`cron.list`) with their last runs (`cron.runs`) and a "run now" (`cron.run`). */
export function CronView() {
  const { client } = useApp();
  const jobs = useRequest<unknown>('cron.list');
  const [selected, setSelected] = useState<string>();
  const [error, setError] = useState<RequestError>();
  const [running, setRunning] = useState<string>();

  if (!jobs.available) {
    return (
      <section>
        <ViewHeader title="Cron" />
        <Unavailable what="Cron" methods={['cron.list', 'cron.runs']} />
        <p class="help">
          Scheduled jobs (a daily summary, reminders the agent set) will be listed here with their schedule,
          next run and the result of their last runs.
        </p>
      </section>
    );
  }
  const list = pickList(jobs.data, 'jobs', 'items');

  async function runNow(id: string) {
    setRunning(id);
    setError(undefined);
    try {
      await client.request('cron.run', { id });
      jobs.reload();
    } catch (err) {
      setError(err as RequestError);
    } finally {
      setRunning(undefined);
    }
  }

  return (
    <section>
      <ViewHeader title="Cron">
        <button type="button" onClick={jobs.reload}>
          Refresh
        </button>
      </ViewHeader>
      <ErrorNote error={error ?? jobs.error} />
      {list.length === 0 && !jobs.loading && <p class="muted">No scheduled jobs.</p>}
      <ul class="cards">
        {list.map((job) => {
          const id = pickString(job, 'id', 'name') ?? '?';
          const last = (job.lastRun ?? job.last) as Job | undefined;
          const enabled = job.enabled !== false;
          return (
            <li key={id} class="card">
              <div class="card-head">
                <h3>{pickString(job, 'name', 'id')}</h3>
                <span class={`badge ${enabled ? 'state-connected' : 'state-disabled'}`}>
                  {enabled ? 'enabled' : 'disabled'}
                </span>
              </div>
              <dl>
                <dt>Schedule</dt>
                <dd>
                  <code>{describeSchedule(job.schedule)}</code>
                  {typeof job.timezone === 'string' && <span class="muted"> {job.timezone}</span>}
                </dd>
                {typeof job.message === 'string' && (
                  <>
                    <dt>{job.mode === 'text' ? 'Sends' : 'Prompt'}</dt>
                    <dd class="clip">{job.message}</dd>
                  </>
                )}
                <dt>Next run</dt>
                <dd>{formatTime(job.nextRunAt ?? job.next)}</dd>
                <dt>Last run</dt>
                <dd>
                  {last
                    ? `${formatTime(last.startedAt ?? last.at)} · ${pickString(last, 'status', 'state') ?? ''}`
                    : 'never'}
                </dd>
              </dl>
              {typeof last?.error === 'string' && <p class="error">{last.error}</p>}
              <div class="row">
                {client.has('cron.runs') && (
                  <button
                    type="button"
                    aria-expanded={selected === id}
                    onClick={() => setSelected(selected === id ? undefined : id)}
                  >
                    {selected === id ? 'Hide runs' : 'Runs'}
                  </button>
                )}
                {client.has('cron.run') && (
                  <button type="button" disabled={running === id} onClick={() => void runNow(id)}>
                    {running === id ? 'Running…' : 'Run now'}
                  </button>
                )}
              </div>
              {selected === id && <CronRuns id={id} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function CronRuns({ id }: { id: string }) {
  const runs = useRequest<unknown>('cron.runs', { id }, [id]);
  const list = pickList(runs.data, 'runs', 'items');
  return (
    <div class="sub">
      <ErrorNote error={runs.error} />
      {list.length === 0 && !runs.loading && <p class="muted">No runs yet.</p>}
      <ul class="plain">
        {list.map((run, i) => (
          <li key={i}>
            {formatTime(run.startedAt ?? run.at)} · {pickString(run, 'status', 'state') ?? '?'}
            {typeof run.trigger === 'string' && run.trigger !== 'schedule' ? ` (${run.trigger})` : ''}
            {typeof run.durationMs === 'number' ? ` · ${(run.durationMs / 1000).toFixed(1)} s` : ''}
            {typeof run.error === 'string' && <span class="error"> {run.error}</span>}
            {typeof run.output === 'string' && <div class="muted clip">{run.output}</div>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** `{cron}` / `{every}` / `{at}` (ScheduleSpec in src/core/cron/schedule.ts) in words. */
export function describeSchedule(schedule: unknown): string {
  if (typeof schedule === 'string') return schedule;
  const s = (schedule ?? {}) as Record<string, unknown>;
  if (typeof s.cron === 'string') return s.cron;
  if (typeof s.every === 'string') return `every ${s.every}`;
  if (typeof s.at === 'string') return `once at ${s.at}`;
  return '–';
}
