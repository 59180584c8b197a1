import {
  EXEC_DEFAULT_APPROVAL_TIMEOUT_SECONDS,
  EXEC_DEFAULT_TIMEOUT_SECONDS,
  EXEC_MAX_TIMEOUT_SECONDS,
} from '../../config/sections/tools-exec';
import { GatewayError } from '../../errors';
import * as z from '../../zod';
import { agentWorkspace, findAgent } from '../agents-config';
import { askOwner } from '../exec/ask-owner';
import { execEnv } from '../exec/env';
import { decideExec } from '../exec/policy';
import { describeExecResult } from '../exec/result';
import { wrapUntrusted } from '../untrusted';
import { defineTool } from './types';

/** The tail of a command's output kept (under the tool result cap, so the cut is ours and said). */
export const EXEC_OUTPUT_BYTES = 12 * 1024;

export const execTool = defineTool({
  name: 'exec',
  description:
    "Run a shell command (sh -c) in the agent's workspace directory. Returns the exit code and the end of " +
    'stdout+stderr. Depending on tools.exec the owner may have to approve the command first.',
  parameters: z.object({
    command: z.string().min(1).max(8000).describe('the command line, run with sh -c'),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(EXEC_MAX_TIMEOUT_SECONDS)
      .optional()
      .describe(`killed after this (default ${EXEC_DEFAULT_TIMEOUT_SECONDS})`),
  }),
  profile: 'full',
  neverGuest: "it runs commands as the gateway's user",
  unavailable({ config, runtime }) {
    if (runtime !== 'node') return 'exec needs local processes, which Cloudflare Workers do not have';
    if (config.tools?.exec?.mode === 'deny') return 'tools.exec.mode is deny';
    return undefined;
  },
  async run({ command, timeoutSeconds }, toolCtx) {
    const { ctx, agentId, trust, exec, signal } = toolCtx;
    // The policy never offers exec to a guest; this is the second lock on the same door.
    if (trust !== 'owner') throw new GatewayError('FORBIDDEN', 'exec runs only in owner sessions');
    if (!exec) throw new GatewayError('UNAVAILABLE', 'exec is not available on this runtime');
    const config = ctx.config();
    const settings = config.tools?.exec;
    const cwd = agentWorkspace(config, findAgent(config, agentId), ctx.runtime.stateDir);
    const verdict = decideExec(command, settings, cwd);
    if (verdict.action === 'refuse') throw new GatewayError('FORBIDDEN', verdict.reason);
    if (verdict.action === 'ask') {
      const timeoutMs = (settings?.approvalTimeoutSeconds ?? EXEC_DEFAULT_APPROVAL_TIMEOUT_SECONDS) * 1000;
      const outcome = await askOwner(toolCtx, {
        command,
        cwd,
        timeoutMs,
        ...(verdict.program ? { program: verdict.program } : {}),
      });
      if (outcome === 'deny') throw new GatewayError('FORBIDDEN', 'the owner denied this command');
      if (outcome === 'expired')
        throw new GatewayError(
          'FORBIDDEN',
          `no answer from the owner within ${timeoutMs / 1000} s: the command was denied`,
        );
      if (outcome === 'aborted')
        throw new GatewayError('CONFLICT', 'the run was aborted while waiting for approval');
    }
    const result = await exec.run({
      command,
      cwd,
      env: execEnv(ctx.env, cwd, settings?.env),
      timeoutMs: (timeoutSeconds ?? EXEC_DEFAULT_TIMEOUT_SECONDS) * 1000,
      maxOutputBytes: EXEC_OUTPUT_BYTES,
      ...(signal ? { signal } : {}),
    });
    return wrapUntrusted(`exec ${command.slice(0, 120)}`, describeExecResult(result));
  },
});
