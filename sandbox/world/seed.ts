/** The default scenario: the gamemetrics workflow from the user's seed document. */

export const TEAM_ID = 'T0GAMEMETRICS';
export const APP_ID = 'A0DEPLOYBOT';
export const REPO = 'sheeffii/RealtimeGaming';
export const REPO_URL = `https://github.com/${REPO}.git`;
export const PROJECT = 'gamemetrics';

export const PEOPLE = {
  alice: {
    id: 'U0ALICE',
    name: 'alice',
    realName: 'Alice Approver',
    email: 'alice@gamemetrics.example',
    login: 'alice',
  },
  bob: { id: 'U0BOB', name: 'bob', realName: 'Bob On-call', email: 'bob@gamemetrics.example', login: 'bob' },
  dave: {
    id: 'U0DAVE',
    name: 'dave',
    realName: 'Dave Developer',
    email: 'dave@gamemetrics.example',
    login: 'dave',
  },
  carol: {
    id: 'U0CAROL',
    name: 'carol',
    realName: 'Carol Coder',
    email: 'carol@gamemetrics.example',
    login: 'carol',
  },
} as const;
export type PersonKey = keyof typeof PEOPLE;

export const CHANNELS = {
  deploys: { id: 'C0DEPLOYS', name: 'deploys' },
  prodDeploys: { id: 'C0PRODDEPLOYS', name: 'prod-deploys' },
  releases: { id: 'C0RELEASES', name: 'releases' },
} as const;

export const ONCALL_GROUP = { id: 'S0ONCALL', handle: 'oncall', users: [PEOPLE.bob.id] };

export interface SeedApp {
  name: string;
  branch: 'main' | 'develop';
  path: string;
  autoSync: boolean;
  /** Which manifest files carry the images. */
  imageFiles: Record<string, string>;
}

export const APPS: SeedApp[] = [
  {
    name: 'event-ingestion-prod',
    branch: 'main',
    path: 'k8s/services/event-ingestion',
    autoSync: false,
    imageFiles: {
      'k8s/services/event-ingestion/consumer-deployment.yaml': 'docker.io/gamemetrics/event-consumer',
      'k8s/services/event-ingestion/producer-deployment.yaml': 'docker.io/gamemetrics/event-producer',
    },
  },
  {
    name: 'event-ingestion-dev',
    branch: 'develop',
    path: 'k8s/services/event-ingestion',
    autoSync: true,
    imageFiles: {
      'k8s/services/event-ingestion/consumer-deployment.yaml': 'docker.io/gamemetrics/event-consumer',
      'k8s/services/event-ingestion/producer-deployment.yaml': 'docker.io/gamemetrics/event-producer',
    },
  },
  {
    name: 'kafka-prod',
    branch: 'main',
    path: 'k8s/kafka/base',
    autoSync: true,
    imageFiles: { 'k8s/kafka/base/kafka.yaml': 'quay.io/strimzi/kafka' },
  },
  {
    name: 'kafka-dev',
    branch: 'develop',
    path: 'k8s/kafka/base',
    autoSync: true,
    imageFiles: { 'k8s/kafka/base/kafka.yaml': 'quay.io/strimzi/kafka' },
  },
];

export function deploymentYaml(name: string, image: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  replicas: 2',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: ${image}`,
    '',
  ].join('\n');
}

export const POLICY_YAML = `# deploybot policy for the sandbox (same shape as deploybot.example.yaml)
channels:
  deploys: ${CHANNELS.deploys.id}
  releases: ${CHANNELS.releases.id}
github:
  repo: ${REPO}
people:
  - { slack: ${PEOPLE.alice.id}, github: alice, email: ${PEOPLE.alice.email} }
  - { slack: ${PEOPLE.bob.id}, github: bob, email: ${PEOPLE.bob.email} }
  - { slack: ${PEOPLE.dave.id}, github: dave, email: ${PEOPLE.dave.email} }
  - { slack: ${PEOPLE.carol.id}, github: carol, email: ${PEOPLE.carol.email} }
environments:
  prod:
    channel: ${CHANNELS.prodDeploys.id}
    approvers: { users: [${PEOPLE.alice.id}], groups: [${ONCALL_GROUP.id}] }
    requiredApprovals: 1
    allowSelfApproval: false
    requireGreenChecks: true
    rollback: { users: [${PEOPLE.alice.id}, ${PEOPLE.bob.id}] }
    approvalTimeout: 24h
    remindAfter: 30m
    githubDeployments: true
    breakGlass: { users: [${PEOPLE.bob.id}], groups: [${ONCALL_GROUP.id}] }
  dev:
    approvers: { users: ["*"] }
    requiredApprovals: 0
reconcileInterval: 60s
apps:
  - { match: event-ingestion-prod, environment: prod }
  - { match: "*-prod", environment: prod }
  - { match: "*", environment: dev }
`;
