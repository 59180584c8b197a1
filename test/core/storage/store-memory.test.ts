import { createMemoryStore } from '../../helpers/context';
import { testStore } from './store-contract';

testStore('memory', () => createMemoryStore());
