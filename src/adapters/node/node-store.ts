import { join } from 'node:path';
import { NAMESPACES } from '../../core/storage/namespaces';
import { createStore, type Store } from '../../core/storage/store';
import { atomicFsDriver } from './fs-driver';

/** The store on a state dir: each namespace in its own folder (`$STATE_DIR/sessions/...`). */
export function createNodeStore(stateDir: string): Store {
  const drivers = Object.fromEntries(
    NAMESPACES.map((ns) => [ns, atomicFsDriver({ base: join(stateDir, ns) })]),
  );
  return createStore({ drivers: { ...drivers, default: atomicFsDriver({ base: join(stateDir, 'store') }) } });
}
