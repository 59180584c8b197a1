import { join } from 'node:path';
import type { ChannelDef } from '../../../core/channels/channel-def';
import { envVar } from '../../../core/env';
import { credentialKey } from '../../../core/secrets';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { createNodeStore } from '../node-store';
import { ensureStateDir } from '../state-dir';
import type { ChannelAction } from './channels-command';
import { configSet } from './config-edit';
import { statePaths } from './state-options';

/** `botToken` -> `--bot-token`. */
export const flagOf = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * `krabkrab channels add <id> --<field> <value> ...` for a channel without an add of its own,
 * from its `ChannelDef.setup`: each field from its flag or its env var, `validate` (one login
 * call), secrets stored in the credentials area (0600, never in krabkrab.json), other values and
 * `enabled: true` written to the config. A running gateway reloads it and logs in.
 */
export function genericAddChannel(def: ChannelDef): ChannelAction {
  return async (args, { values }, io) => {
    const setup = def.setup;
    if (!setup) throw new CliError(`${def.id} has no setup from the shell`, EXIT.USAGE);
    if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
    const given: Record<string, string | undefined> = {};
    const fromEnv: Record<string, string | undefined> = {};
    for (const field of setup.fields) {
      const flag = values[flagOf(field.name)];
      given[field.name] = typeof flag === 'string' && flag.trim() !== '' ? flag.trim() : undefined;
      fromEnv[field.name] = field.env ? envVar(io.env, field.env)?.trim() : undefined;
    }
    const merged = Object.fromEntries(setup.fields.map((f) => [f.name, given[f.name] ?? fromEnv[f.name]]));
    const missing = setup.fields.filter((f) => !f.optional && !merged[f.name]);
    if (missing.length > 0) {
      const usage = setup.fields.map(
        (f) => `--${flagOf(f.name)} <${f.label}>${f.optional ? ' (optional)' : ''}`,
      );
      throw new CliError(
        `pass ${missing.map((f) => `--${flagOf(f.name)}`).join(', ')}: channels add ${def.id} ${usage.join(' ')}`,
        EXIT.USAGE,
      );
    }
    const { stateDir, configPath } = statePaths(values, io.env);
    await ensureStateDir(stateDir);
    const current = await readConfigFile(configPath, io.env);
    const config = current.ok === true ? current.value.config : {};
    const checked = await setup.validate(merged, { env: io.env, config });
    if (!checked.ok) throw new CliError(`credentials not accepted: ${checked.error}`);

    const notes: string[] = [];
    const store = createNodeStore(stateDir);
    try {
      for (const field of setup.fields) {
        const value = given[field.name];
        if (!value) continue;
        if (field.secret && field.env) {
          await store.set(credentialKey(field.env), value);
          notes.push(
            `stored ${field.env} in ${join(stateDir, 'credentials', 'secrets', field.env)} (mode 0600)`,
          );
          if (fromEnv[field.name] && fromEnv[field.name] !== value)
            notes.push(`warning: ${field.env} is set in the environment and wins over the stored value`);
        } else if (field.configPath) {
          await configSet([field.configPath, JSON.stringify(value)], values, { ...io, stdout: () => {} });
        }
      }
    } finally {
      await store.dispose();
    }
    await configSet([`channels.${def.id}.enabled`, 'true'], values, { ...io, stdout: () => {} });
    notes.push(`set channels.${def.id}.enabled = true in ${configPath}`);
    if (values.json) {
      io.stdout(`${JSON.stringify({ ok: true, channel: def.id, account: checked.account, configPath })}\n`);
      return EXIT.OK;
    }
    io.stdout(
      [
        `${def.id}: the credentials belong to ${checked.account ?? 'a live account'}`,
        ...notes.map((note) => `  ${note}`),
        `next: a running gateway reloads krabkrab.json and logs in ("[${def.id}] logged in to ${def.id} as ...")`,
        '',
      ].join('\n'),
    );
    return EXIT.OK;
  };
}
