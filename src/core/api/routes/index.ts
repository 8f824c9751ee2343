// The /api/v1 route table. R11–R14 (search, stats, health-check) plug in here as more Route arrays.
import type { Route } from '../router';
import { documentRoutes } from './documents';
import { healthRoutes } from './health';
import { projectRoutes } from './projects';
import { searchRoutes } from './search';
import { statsRoutes } from './stats';
import { statusRoutes } from './status';
import { systemRoutes } from './system';

export const apiRoutes: Route[] = [...systemRoutes, ...projectRoutes, ...documentRoutes, ...searchRoutes, ...statsRoutes, ...healthRoutes, ...statusRoutes];
