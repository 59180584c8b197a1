import { buildStatus } from '../core/status';
import type { RouteHandler } from './types';

export const handleApiStatus: RouteHandler = async (_req, ctx) => Response.json(await buildStatus(ctx));
