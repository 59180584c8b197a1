import { reminderAdd, reminderCancel, reminderList } from '../../cron/reminder-tools';
import { voiceCallTool } from '../../plugins/voice-call/tool';
import { currentTime } from './current-time';
import { execTool } from './exec';
import { editFileTool } from './files/edit';
import { listFilesTool } from './files/list';
import { readFileTool } from './files/read';
import { writeFileTool } from './files/write';
import { memoryGet, memorySave, memorySearch } from './memory';
import type { AgentTool } from './types';
import { webFetch } from './web-fetch';
import { webSearch } from './web-search';

/** Every tool the agents may call. Adding one is one file and one line here. */
export const TOOLS: AgentTool[] = [
  memorySave,
  memorySearch,
  memoryGet,
  currentTime,
  voiceCallTool,
  reminderAdd,
  reminderList,
  reminderCancel,
  readFileTool,
  writeFileTool,
  editFileTool,
  listFilesTool,
  webFetch,
  webSearch,
  execTool,
];

export type { AgentTool, ToolContext } from './types';
export { defineTool } from './types';
