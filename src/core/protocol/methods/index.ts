import { voicecallHangup, voicecallList, voicecallStart } from '../../plugins/voice-call/methods';
import type { MethodDef } from '../method';
import { agentsList } from './agents';
import { channelsLogin } from './channel-login';
import { chatAbort, chatSend } from './chat';
import { configApply, configGet, configSchemaMethod, configValidate } from './config';
import { cronAdd, cronList, cronRemove, cronRun, cronRuns } from './cron';
import { execApprovalList, execApprovalResolve } from './exec-approvals';
import { health, logsTail, status } from './gateway';
import { modelsList } from './models';
import { pairingApprove, pairingDeny, pairingList } from './pairing';
import { sessionsHistory, sessionsList, sessionsReset } from './sessions';
import { channelsCatalog, channelsSetup, secretsList, secretsSet } from './setup';
import { usageSummary } from './usage';

/** Every control method by name. Adding one is one file and one line here. */
export const METHODS: Record<string, MethodDef> = {
  health,
  status,
  'logs.tail': logsTail,
  'config.get': configGet,
  'config.validate': configValidate,
  'config.apply': configApply,
  'config.schema': configSchemaMethod,
  'models.list': modelsList,
  'cron.list': cronList,
  'cron.add': cronAdd,
  'cron.remove': cronRemove,
  'cron.run': cronRun,
  'cron.runs': cronRuns,
  'chat.send': chatSend,
  'chat.abort': chatAbort,
  'sessions.list': sessionsList,
  'sessions.history': sessionsHistory,
  'sessions.reset': sessionsReset,
  'agents.list': agentsList,
  'exec.approval.list': execApprovalList,
  'exec.approval.resolve': execApprovalResolve,
  'pairing.list': pairingList,
  'pairing.approve': pairingApprove,
  'pairing.deny': pairingDeny,
  'channels.catalog': channelsCatalog,
  'channels.setup': channelsSetup,
  'channels.login': channelsLogin,
  'secrets.set': secretsSet,
  'secrets.list': secretsList,
  'usage.summary': usageSummary,
  'voicecall.start': voicecallStart,
  'voicecall.list': voicecallList,
  'voicecall.hangup': voicecallHangup,
};
