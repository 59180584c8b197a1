import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, startGateway, tempStateDir } from './gateway-process';
import { startWorker } from './worker-target';

/** A running gateway on some runtime, reached over HTTP/WS on loopback. */
export interface Target {
  runtime: 'node' | 'workers';
  url: string;
  wsUrl: string;
  stop(): Promise<void>;
  /** What the gateway printed (Node); the Worker's log is not captured. */
  output(): string;
}

export interface TargetOptions {
  env?: Record<string, string>;
  config?: Record<string, unknown>;
}

type TargetFactory = (options: TargetOptions) => Promise<Target>;

/** One suite, two targets (in the spirit of h3's describeMatrix): the same tests against Node and Workers. */
export const TARGETS: Record<'node' | 'workers', TargetFactory> = {
  async node(options) {
    const stateDir = tempStateDir();
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(
      join(stateDir, 'krabkrab.json'),
      JSON.stringify(options.config ?? { gateway: { mode: 'local' } }),
    );
    const gateway = await startGateway({ stateDir, env: options.env });
    return {
      runtime: 'node',
      url: gateway.url,
      wsUrl: gateway.url.replace('http', 'ws'),
      output: gateway.output,
      async stop() {
        await gateway.stop();
        removeDir(stateDir);
      },
    };
  },
  async workers(options) {
    const worker = await startWorker(options.env ?? {}, options.config);
    return {
      runtime: 'workers',
      url: worker.url,
      wsUrl: worker.url.replace('http', 'ws'),
      output: () => '',
      stop: worker.stop,
    };
  },
};
