import type { MethodDef } from '../method';
import { configApply, configGet, configValidate } from './config';
import { cronAdd, cronList, cronRemove, cronRun, cronRuns } from './cron';
import { health, logsTail, status } from './gateway';

/** Every control method by name. Adding one is one file and one line here. */
export const METHODS: Record<string, MethodDef> = {
  health,
  status,
  'logs.tail': logsTail,
  'config.get': configGet,
  'config.validate': configValidate,
  'config.apply': configApply,
  'cron.list': cronList,
  'cron.add': cronAdd,
  'cron.remove': cronRemove,
  'cron.run': cronRun,
  'cron.runs': cronRuns,
};
