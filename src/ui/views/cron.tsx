import { useState } from 'preact/hooks';
import type { CronList, CronRuns as CronRunsPayload, ScheduleSpec } from '../../core/protocol/payloads/cron';
import { ErrorNote, Unavailable, ViewHeader } from '../components/notices';
import { useApp } from '../lib/app-context';
import type { RequestError } from '../lib/client';
import { formatTime } from '../lib/format';
import { useRequest } from '../lib/use-request';

/** Scheduled jobs (`cron.list`) with their last runs (`cron.runs`) and a "run now" (`cron.run`). */
export function CronView() {
  const { client } = useApp();
  const jobs = useRequest<CronList>('cron.list');
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
  const list = jobs.data?.jobs ?? [];

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
          const { id, enabled, lastRun: last } = job;
          return (
            <li key={id} class="card">
              <div class="card-head">
                <h3>{job.name || id}</h3>
                <span class={`badge ${enabled ? 'state-connected' : 'state-disabled'}`}>
                  {enabled ? 'enabled' : 'disabled'}
                </span>
              </div>
              <dl>
                <dt>Schedule</dt>
                <dd>
                  <code>{describeSchedule(job.schedule)}</code>
                  <span class="muted"> {job.timezone}</span>
                </dd>
                <dt>{job.mode === 'text' ? 'Sends' : 'Prompt'}</dt>
                <dd class="clip">{job.message}</dd>
                <dt>Next run</dt>
                <dd>{formatTime(job.nextRunAt)}</dd>
                <dt>Last run</dt>
                <dd>{last ? `${formatTime(last.startedAt)} · ${last.status}` : 'never'}</dd>
              </dl>
              {last?.error && <p class="error">{last.error}</p>}
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
  const runs = useRequest<CronRunsPayload>('cron.runs', { id }, [id]);
  const list = runs.data?.runs ?? [];
  return (
    <div class="sub">
      <ErrorNote error={runs.error} />
      {list.length === 0 && !runs.loading && <p class="muted">No runs yet.</p>}
      <ul class="plain">
        {list.map((run, i) => (
          <li key={i}>
            {formatTime(run.startedAt)} · {run.status}
            {run.trigger !== 'schedule' ? ` (${run.trigger})` : ''}
            {run.durationMs !== undefined ? ` · ${(run.durationMs / 1000).toFixed(1)} s` : ''}
            {run.error && <span class="error"> {run.error}</span>}
            {run.output && <div class="muted clip">{run.output}</div>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A job's schedule (`{cron}` / `{every}` / `{at}`, as `cron.list` sends it) in words. */
export function describeSchedule(schedule: ScheduleSpec): string {
  if ('cron' in schedule) return schedule.cron;
  if ('every' in schedule) return `every ${schedule.every}`;
  return `once at ${schedule.at}`;
}
