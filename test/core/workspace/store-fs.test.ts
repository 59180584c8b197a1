import { describe } from 'vitest';
import { createStoreWorkspaceFs } from '../../../src/core/workspace/store-fs';
import { createMemoryStore } from '../../helpers/context';
import { testWorkspaceFs } from './contract';

describe('the store workspace (Workers, tests)', () => {
  testWorkspaceFs(async () => createStoreWorkspaceFs(createMemoryStore(), 'main', () => 1));
});
