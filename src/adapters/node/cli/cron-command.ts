import { randomToken } from '../../../core/auth/token';
import { formatDottedPath } from '../../../core/config/dotted-path';
import { type CronJobInput, cronJob } from '../../../core/cron/config';
import type { RunRecord } from '../../../core/cron/history';
import { listRuns } from '../../../core/cron/history';
import { addJob, type CronStoreContext, getJob, removeJob } from '../../../core/cron/jobs';
import type { JobView } from '../../../core/cron/view';
import { describeJob, describeJobs } from '../../../core/cron/view';
import { createLogHub } from '../../../core/log/logger';
import { systemClock } from '../../../core/runtime/clock';
import { createEventHub } from '../../../core/runtime/events';
import { formatIssues } from '../../../core/zod-issues';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { createNodeStore } from '../node-store';
import { ensureStateDir } from '../state-dir';
import type { CliIo, Command, ParsedCommand } from './command';
import { callGateway, findRunningGateway, type GatewayEndpoint } from './cron-remote';
import { statePaths } from './state-options';

/** `cron run` waits for the whole agent run (a long prompt with tools can take minutes). */
const RUN_TIMEOUT_MS = 15 * 60_000;

/** Where a subcommand acts: the running gateway over WS, or the store on disk when none runs. */
interface Target {
  remote?: GatewayEndpoint;
  local(): Promise<CronStoreContext & { close(): Promise<void> }>;
}

type Subcommand = (args: string[], parsed: ParsedCommand, io: CliIo, target: Target) => Promise<number>;

const SUBCOMMANDS: Record<string, Subcommand> = {
  async list(_args, parsed, io, target) {
    const jobs = target.remote
      ? ((await callGateway(target.remote, 'cron.list', {})) as { jobs: JobView[] }).jobs
      : await withLocal(target, (ctx) => describeJobs(ctx));
    if (parsed.values.json) io.stdout(`${JSON.stringify(jobs, null, 2)}\n`);
    else io.stdout(jobs.length === 0 ? 'no cron jobs\n' : `${jobs.map(formatJob).join('\n')}\n`);
    return EXIT.OK;
  },
  async add(args, parsed, io, target) {
    if (args.length > 0)
      throw new CliError(
        `unexpected argument ${JSON.stringify(args[0])}; give the job with flags (--cron/--every/--at, --message)`,
        EXIT.USAGE,
      );
    const job = jobFromFlags(parsed.values);
    const view = target.remote
      ? ((await callGateway(target.remote, 'cron.add', job)) as { job: JobView }).job
      : await withLocal(target, async (ctx) => describeJob(ctx, await addJob(ctx, job, 'cli')));
    io.stdout(parsed.values.json ? `${JSON.stringify(view, null, 2)}\n` : `added ${formatJob(view)}\n`);
    if (!target.remote)
      io.stdout('no gateway is running: saved to the state dir; it runs once the gateway starts\n');
    return EXIT.OK;
  },
  async remove(args, _parsed, io, target) {
    const id = oneId(args, 'remove');
    if (target.remote) await callGateway(target.remote, 'cron.remove', { id });
    else await withLocal(target, (ctx) => removeJob(ctx, id));
    io.stdout(`removed ${id}\n`);
    return EXIT.OK;
  },
  async run(args, parsed, io, target) {
    const id = oneId(args, 'run');
    if (!target.remote)
      throw new CliError(
        'no gateway is running on this state dir: `cron run` needs the gateway (start it, or pass --url)',
      );
    const { run } = (await callGateway(target.remote, 'cron.run', { id }, RUN_TIMEOUT_MS)) as {
      run: RunRecord;
    };
    io.stdout(parsed.values.json ? `${JSON.stringify(run, null, 2)}\n` : `${formatRun(run)}\n`);
    return run.status === 'ok' ? EXIT.OK : EXIT.ERROR;
  },
  async runs(args, parsed, io, target) {
    const id = oneId(args, 'runs');
    const runs = target.remote
      ? ((await callGateway(target.remote, 'cron.runs', { id })) as { runs: RunRecord[] }).runs
      : await withLocal(target, async (ctx) => {
          await getJob(ctx, id);
          return listRuns(ctx, id);
        });
    if (parsed.values.json) io.stdout(`${JSON.stringify(runs, null, 2)}\n`);
    else io.stdout(runs.length === 0 ? `${id} has not run yet\n` : `${runs.map(formatRun).join('\n')}\n`);
    return EXIT.OK;
  },
};

export const cronCommand: Command = {
  summary:
    'Scheduled jobs: cron list | add | remove <id> | run <id> | runs <id> (through the running gateway, else on the state dir)',
  usage:
    'cron list | cron add --message TEXT (--cron "0 9 * * *" | --every 30m | --at 2026-04-01T09:00) [--id ID] [--tz ZONE] [--agent ID] [--channel C --to CHAT] [--text] [--retry N] | cron remove <id> | cron run <id> | cron runs <id>',
  options: {
    'state-dir': { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    json: { type: 'boolean' },
    id: { type: 'string' },
    name: { type: 'string' },
    cron: { type: 'string' },
    every: { type: 'string' },
    at: { type: 'string' },
    tz: { type: 'string' },
    agent: { type: 'string' },
    message: { type: 'string' },
    text: { type: 'boolean' },
    channel: { type: 'string' },
    to: { type: 'string' },
    account: { type: 'string' },
    thread: { type: 'string' },
    retry: { type: 'string' },
    'retry-delay': { type: 'string' },
    disabled: { type: 'boolean' },
  },
  async run(parsed, io) {
    const [sub, ...args] = parsed.positionals;
    const handler = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!handler) throw new CliError(`expected one of ${Object.keys(SUBCOMMANDS).join(', ')}`, EXIT.USAGE);
    const { stateDir, configPath } = statePaths(parsed.values, io.env);
    const remote = await findRunningGateway({
      stateDir,
      configPath,
      env: io.env,
      ...(typeof parsed.values.url === 'string' ? { url: parsed.values.url } : {}),
      ...(typeof parsed.values.token === 'string' ? { token: parsed.values.token } : {}),
    });
    const target: Target = {
      ...(remote ? { remote } : {}),
      local: () => openLocal(stateDir, configPath, io.env),
    };
    return handler(args, parsed, io, target);
  },
};

async function openLocal(
  stateDir: string,
  configPath: string,
  env: NodeJS.ProcessEnv,
): Promise<CronStoreContext & { close(): Promise<void> }> {
  const loaded = await readConfigFile(configPath, env);
  if (loaded.ok === false)
    throw new CliError(`${configPath} is not valid; fix it first (krabkrab config validate)`, EXIT.CONFIG);
  await ensureStateDir(stateDir);
  const store = createNodeStore(stateDir);
  const config = loaded.ok === true ? loaded.value.config : {};
  return {
    config: () => config,
    store,
    clock: systemClock,
    events: createEventHub(),
    log: createLogHub({ write: () => {}, now: Date.now }).logger,
    close: () => store.dispose(),
  };
}

async function withLocal<T>(target: Target, fn: (ctx: CronStoreContext) => Promise<T>): Promise<T> {
  const ctx = await target.local();
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

function oneId(args: string[], sub: string): string {
  if (args.length !== 1 || !args[0]) throw new CliError(`usage: krabkrab cron ${sub} <id>`, EXIT.USAGE);
  return args[0];
}

function jobFromFlags(values: ParsedCommand['values']): CronJobInput {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const schedules = (['cron', 'every', 'at'] as const).filter((key) => text(key) !== undefined);
  if (schedules.length !== 1)
    throw new CliError(
      'give exactly one of --cron "<expression>", --every <duration>, --at <ISO-8601 time>',
      EXIT.USAGE,
    );
  const kind = schedules[0] as 'cron' | 'every' | 'at';
  if (!text('message'))
    throw new CliError(
      '--message is required: the prompt for the agent (or, with --text, the text to send)',
      EXIT.USAGE,
    );
  if ((text('channel') === undefined) !== (text('to') === undefined))
    throw new CliError('--channel and --to go together', EXIT.USAGE);
  const retry = text('retry');
  const candidate: Record<string, unknown> = {
    id: text('id') ?? `job-${randomToken(4)}`,
    ...(text('name') ? { name: text('name') } : {}),
    schedule: kind === 'cron' ? text('cron') : { [kind]: text(kind) },
    ...(text('tz') ? { tz: text('tz') } : {}),
    ...(text('agent') ? { agentId: text('agent') } : {}),
    message: text('message') ?? '',
    ...(values.text ? { mode: 'text' } : {}),
    ...(text('channel')
      ? {
          deliver: {
            channel: text('channel'),
            to: text('to'),
            ...(text('account') ? { accountId: text('account') } : {}),
            ...(text('thread') ? { threadId: text('thread') } : {}),
          },
        }
      : {}),
    ...(values.disabled ? { enabled: false } : {}),
    ...(retry !== undefined
      ? { retry: { attempts: Number(retry), ...(text('retry-delay') ? { delay: text('retry-delay') } : {}) } }
      : {}),
  };
  const parsed = cronJob.safeParse(candidate);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues, { max: Number.POSITIVE_INFINITY, pathOf: flagName });
    throw new CliError(`invalid job: ${problems}`, EXIT.USAGE);
  }
  return parsed.data;
}

const FLAG_OF: Record<string, string> = {
  schedule: `--cron/--every/--at`,
  agentId: '--agent',
  tz: '--tz',
  id: '--id',
  message: '--message',
  deliver: '--channel/--to',
  retry: '--retry',
};

function flagName(path: readonly PropertyKey[]): string {
  return FLAG_OF[String(path[0])] ?? formatDottedPath(path);
}

function scheduleText(view: JobView): string {
  const spec = view.schedule;
  if ('cron' in spec) return `cron "${spec.cron}" ${view.timezone}`;
  if ('every' in spec) return `every ${spec.every}`;
  return `at ${spec.at}${/Z|[+-]\d\d:\d\d$/.test(spec.at) ? '' : ` ${view.timezone}`}`;
}

function formatJob(view: JobView): string {
  const parts = [view.id, scheduleText(view), view.enabled ? `next ${view.nextRunAt ?? 'never'}` : 'off'];
  if (view.lastRun) parts.push(`last ${view.lastRun.status} ${view.lastRun.startedAt}`);
  if (view.deliver) parts.push(`-> ${view.deliver.channel}:${view.deliver.to}`);
  parts.push(`(${view.source})`);
  if (view.problem) parts.push(`problem: ${view.problem}`);
  return parts.join('  ');
}

function formatRun(run: RunRecord): string {
  const parts = [run.startedAt, run.status, run.trigger, `for ${run.occurrence}`];
  if (run.durationMs !== undefined) parts.push(`${run.durationMs} ms`);
  if (run.count) parts.push(`${run.count} occurrence(s) from ${run.from}`);
  if (run.error) parts.push(`error: ${run.error}`);
  return parts.join('  ');
}
