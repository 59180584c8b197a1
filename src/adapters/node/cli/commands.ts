import { backupCommand } from './backup-command';
import { channelsCommand } from './channels-command';
import type { Command } from './command';
import { configCommand } from './config-command';
import { cronCommand } from './cron-command';
import { doctorCommand } from './doctor-command';
import { gatewayCommand } from './gateway-command';
import { importOpenClawCommand } from './import-openclaw-command';
import { pairingCommand } from './pairing-command';
import { restoreCommand } from './restore-command';
import { secretsCommand } from './secrets-command';
import { statusCommand } from './status-command';
import { tokenCommand } from './token-command';
import { voicecallCommand } from './voicecall-command';

/** Every CLI command by name. Adding one is one file and one line here. */
export const COMMANDS: Record<string, Command> = {
  gateway: gatewayCommand,
  token: tokenCommand,
  config: configCommand,
  channels: channelsCommand,
  secrets: secretsCommand,
  doctor: doctorCommand,
  status: statusCommand,
  backup: backupCommand,
  restore: restoreCommand,
  'import-openclaw': importOpenClawCommand,
  cron: cronCommand,
  pairing: pairingCommand,
  voicecall: voicecallCommand,
};
