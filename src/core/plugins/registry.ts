import type { z } from '../zod';
import { voiceCallConfig } from './voice-call/config';

/** Config schemas of the known plugins, by the name used in `plugins.entries.<name>`. */
export const PLUGIN_CONFIG_SCHEMAS: Record<string, z.ZodType> = {
  'voice-call': voiceCallConfig,
};
