import type { ChannelDef } from '../channel-def';
import { signalConfig } from './config';
import { signalEnabled } from './settings';

/** Signal through a signal-cli daemon: a child process or a local daemon, so Node only. */
export const SIGNAL: ChannelDef<typeof signalConfig> = {
  id: 'signal',
  label: 'Signal',
  config: signalConfig,
  qrLink: { label: 'Signal', steps: 'On your phone: Signal → Settings → Linked devices → +, then scan.' },
  enabled: (config) => signalEnabled(config.channels?.signal ?? {}),
  secrets: {},
  nodeOnly: () => 'Signal (signal-cli)',
  setup: {
    fields: [
      {
        name: 'account',
        label: 'Account number (E.164, e.g. +15551234567)',
        secret: false,
        configPath: 'channels.signal.account',
      },
    ],
    // Linking happens with signal-cli (`krabkrab channels login signal`); here only the number's form.
    async validate(values) {
      const account = values.account?.trim();
      return account && /^\+\d{6,15}$/.test(account)
        ? { ok: true, account }
        : { ok: false, error: 'expected the account number in E.164 form, e.g. +15551234567' };
    },
  },
};
