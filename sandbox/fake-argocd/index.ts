export { startFakeArgoCd } from './fake-argocd.js';

export { checkAgainstDefinition } from './schema-check.js';
export { swaggerDefinitions } from './swagger-contract.js';
export type {
  AppSeed,
  FakeArgoCd,
  NotificationOptions,
  RecordedRequest,
  RevisionMetadata,
} from './types.js';
