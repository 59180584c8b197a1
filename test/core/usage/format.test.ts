import { describe, expect, it } from 'vitest';
import { formatCost, formatUsd } from '../../../src/core/usage/format';

describe('usage money', () => {
  it('shows four decimals under a dollar and two above, the same in chat, status and the Control UI', () => {
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatCost(0.0042)).toBe('~$0.0042');
    expect(formatCost(null)).toMatch(/^cost unknown/);
  });
});
