import { join } from 'node:path';
import type { ChannelDef } from '../../../core/channels/channel-def';
import { envVar } from '../../../core/env';
import { CliError, EXIT } from '../exit-codes';
import { type ShellSetup, setupChannelFromShell } from './channel-setup-shell';
import type { ChannelAction } from './channels-command';
import type { CliIo } from './command';

/** `botToken` -> `--bot-token`. */
export const flagOf = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * `krabkrab channels add <id> --<field> <value> ...` from the channel's `ChannelDef.setup`: each
 * field from its flag or its env var, then `channels.setup`'s own code (one login call, secrets
 * stored 0600 in the credentials area, never in krabkrab.json, the channel enabled).
 */
export function genericAddChannel(def: ChannelDef): ChannelAction {
  return async (args, { values }, io) => {
    const setup = def.setup;
    if (!setup) throw new CliError(`${def.id} has no setup from the shell`, EXIT.USAGE);
    if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
    const fields: Record<string, string> = {};
    for (const field of setup.fields) {
      const flag = values[flagOf(field.name)];
      const value =
        typeof flag === 'string' && flag.trim() !== '' ? flag : field.env && envVar(io.env, field.env);
      if (value) fields[field.name] = value;
    }
    const missing = setup.fields.filter((f) => !f.optional && fields[f.name] === undefined);
    if (missing.length > 0) {
      const usage = setup.fields.map(
        (f) => `--${flagOf(f.name)} <${f.label}>${f.optional ? ' (optional)' : ''}`,
      );
      throw new CliError(
        `pass ${missing.map((f) => `--${flagOf(f.name)}`).join(', ')}: channels add ${def.id} ${usage.join(' ')}`,
        EXIT.USAGE,
      );
    }
    const done = await setupChannelFromShell(def.id, fields, values, io);
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ ok: true, channel: def.id, account: done.result.account, configPath: done.configPath })}\n`,
      );
      return EXIT.OK;
    }
    io.stdout(
      [
        `${def.id}: the credentials belong to ${done.result.account ?? 'a live account'}`,
        ...setupNotes(def, fields, done, io).map((note) => `  ${note}`),
        `next: a running gateway reloads krabkrab.json and logs in ("[${def.id}] logged in to ${def.id} as ...");`,
        `  a stranger who writes gets a pairing code: krabkrab pairing approve ${def.id} <code>`,
        '',
      ].join('\n'),
    );
    return EXIT.OK;
  };
}

/** What the setup did, in lines: where each secret went, what the config now says, the platform's notes. */
export function setupNotes(
  def: ChannelDef,
  fields: Record<string, string>,
  done: ShellSetup,
  io: CliIo,
): string[] {
  const stored = (def.setup?.fields ?? []).flatMap((field) =>
    field.secret &&
    field.env &&
    fields[field.name] &&
    envVar(io.env, field.env)?.trim() !== fields[field.name]?.trim()
      ? [`stored ${field.env} in ${join(done.stateDir, 'credentials', 'secrets', field.env)} (mode 0600)`]
      : [],
  );
  return [
    ...stored,
    ...done.result.notes.map((note) => (note.includes('wins over') ? `warning: ${note}` : note)),
    `set channels.${def.id}.enabled = true in ${done.configPath}`,
  ];
}
