import { describe, expect, it } from 'vitest';
import { describeExecResult } from '../../../../src/core/agent/exec/result';

const base = { exitCode: 0, output: '', droppedBytes: 0, timedOut: false, killed: false, durationMs: 1200 };

describe('describeExecResult', () => {
  it('says how much of a cut output was dropped and kept, in the sizes replies use everywhere', () => {
    const output = `${'é'.repeat(1024)}done`;
    expect(describeExecResult({ ...base, output, droppedBytes: 3 * 1024 * 1024 })).toBe(
      `exit code 0 (1.2 s)\n[output cut: the first 3.0 MB were dropped; the last 2.0 KB follow]\n${output}`,
    );
    expect(describeExecResult({ ...base, output: 'tail', droppedBytes: 10 })).toContain(
      '[output cut: the first 10 B were dropped; the last 4 B follow]',
    );
  });

  it('shows an empty output as such, with no cut note', () => {
    expect(describeExecResult(base)).toBe('exit code 0 (1.2 s)\n(no output)');
  });
});
