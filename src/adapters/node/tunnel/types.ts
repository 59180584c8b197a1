import type { GatewayContext } from '../../../core/context';
import type { TunnelPlan } from '../../../core/tunnel/plan';
import type { TunnelState } from '../../../core/tunnel/state';

/** What a tunnel runner gets: the plan, the gateway's port, and a way to report its state. */
export interface RunnerHost {
  /** The env the tunnel's process gets (and its token from), the log its lines go to. */
  ctx: Pick<GatewayContext, 'env' | 'log'>;
  plan: TunnelPlan;
  port: number;
  stateDir: string;
  report(patch: { state: TunnelState; url?: string; error?: string; restarts?: number }): Promise<void>;
}

export interface RunningTunnel {
  stop(): Promise<void>;
}

/** Starts one kind of tunnel; returns once it is launched (the URL may come later, through `report`). */
export type TunnelRunner = (host: RunnerHost) => Promise<RunningTunnel>;
