import type { ExecRunner } from '../../core/agent/exec/types';

type RunnerModule = typeof import('./exec-runner');

/**
 * The exec runner the gateway hands its agents. `node:child_process` and the runner load on the
 * first command, not at start.
 */
export function createNodeExec(): ExecRunner & { stopAll(): Promise<void> } {
  let loaded: Promise<RunnerModule> | undefined;
  return {
    async run(request) {
      loaded ??= import('./exec-runner');
      return (await loaded).runCommand(request);
    },
    async stopAll() {
      if (loaded) (await loaded).killAllCommands();
    },
  };
}
