export type {
  Application,
  ApplicationSource,
  HealthStatusCode,
  Operation,
  OperationState,
  RevisionHistory,
  SyncStatusCode,
} from './application-types.js';
export { DEFAULT_ARGOCD_TOKEN, startFakeArgoCd } from './fake-argocd.js';
export { DEPLOYBOT_TRIGGERS } from './notification-triggers.js';
export { type CanaryStep, DEFAULT_CANARY_STEPS, type RolloutSeed } from './rollouts.js';
export { checkAgainstDefinition, type SchemaReport } from './schema-check.js';
export { swaggerDefinitions } from './swagger-contract.js';
export type {
  AppSeed,
  FakeArgoCd,
  FakeArgoCdOptions,
  FaultSpec,
  NotificationBody,
  NotificationOptions,
  RecordedRequest,
  RevisionMetadata,
  RevisionMetadataSource,
  SentNotification,
  SyncWindow,
} from './types.js';
