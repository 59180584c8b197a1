import { buildStatus } from '../core/status';
import type { RouteHandler } from './types';

export const handleApiStatus: RouteHandler = (_req, ctx) => Response.json(buildStatus(ctx));
