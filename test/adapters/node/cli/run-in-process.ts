import { runCli } from '../../../../src/adapters/node/cli/main';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process (no build, no spawn), with the env the test crafted. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}
