/** One shell command for the runtime's runner (Node: `sh -c` in its own process group). */
export interface ExecRequest {
  command: string;
  /** The agent's workspace; created when missing. */
  cwd: string;
  /** The child's whole environment (nothing is inherited from the gateway). */
  env: Record<string, string>;
  timeoutMs: number;
  /** Output past this is dropped from the front: the tail is what tells what happened. */
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  /** Null when a signal ended it. */
  exitCode: number | null;
  signal?: string;
  /** stdout and stderr interleaved as they came, at most `maxOutputBytes` of their tail. */
  output: string;
  /** Bytes dropped from the front of the output. */
  droppedBytes: number;
  timedOut: boolean;
  /** Killed because the run was aborted or the gateway is stopping. */
  killed: boolean;
  durationMs: number;
}

/** Runs commands on a runtime that has processes; absent on Workers. */
export interface ExecRunner {
  run(request: ExecRequest): Promise<ExecResult>;
}
