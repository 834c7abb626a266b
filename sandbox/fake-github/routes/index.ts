import type { Route } from '../http/router.js';
import { appRoutes } from './app-routes.js';
import { commitRoutes } from './commit-routes.js';
import { compareRoutes } from './compare-routes.js';
import { contentsRoutes } from './contents-routes.js';
import { deploymentRoutes } from './deployment-routes.js';
import { gitCommitRoutes } from './git-commit-routes.js';
import { gitRefRoutes } from './git-ref-routes.js';
import { gitTreeRoutes } from './git-tree-routes.js';
import { pullRoutes } from './pull-routes.js';
import { repoRoutes } from './repo-routes.js';

export const allRoutes: readonly Route[] = [
  ...appRoutes,
  ...repoRoutes,
  ...compareRoutes,
  ...commitRoutes,
  ...deploymentRoutes,
  ...contentsRoutes,
  ...gitRefRoutes,
  ...gitCommitRoutes,
  ...gitTreeRoutes,
  ...pullRoutes,
];
