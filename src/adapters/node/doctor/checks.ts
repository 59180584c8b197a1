import { channelsCheck } from './check-channels';
import { configCheck } from './check-config';
import { lockCheck } from './check-lock';
import { memoryCheck } from './check-memory';
import { bindCheck, portCheck } from './check-network';
import { nodeCheck } from './check-node';
import { providersCheck } from './check-providers';
import { stateDirCheck } from './check-state-dir';
import { stateModesCheck } from './check-state-modes';
import type { DoctorCheck } from './types';

/** Doctor's checks in the order they print. Adding one is one file and one line here. */
export const DOCTOR_CHECKS: DoctorCheck[] = [
  nodeCheck,
  stateDirCheck,
  stateModesCheck,
  configCheck,
  bindCheck,
  portCheck,
  lockCheck,
  memoryCheck,
  providersCheck,
  channelsCheck,
];
