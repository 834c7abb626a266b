import type { AxiosInstance } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeArgoCd, startFakeArgoCd } from '../../../sandbox/fake-argocd/index.js';
import { createClient } from './helpers.js';

const SHA_NEW = '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c';

describe('fake Argo CD refuses what argocd-server refuses', () => {
  let fake: FakeArgoCd;
  let api: AxiosInstance;

  beforeAll(async () => {
    fake = await startFakeArgoCd({
      // Operations stay Running for the whole file unless a test terminates them.
      timing: { syncMs: 60_000, healthMs: 60_000, terminateMs: 10 },
      apps: [
        { name: 'payments-api-prod', project: 'payments', images: ['ghcr.io/acme/payments-api:1.41.2'] },
        { name: 'orders-dev', project: 'dev', autoSync: true, targetRevision: 'main' },
        { name: 'busy-prod', project: 'payments' },
        { name: 'windowed-prod', project: 'payments' },
        {
          name: 'idle-prod',
          project: 'payments',
          previousRevisions: ['1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e'],
        },
      ],
      canI: (_resource, action, object) => !(action === 'sync' && object === 'payments/readonly-prod'),
    });
    fake.addApp({ name: 'readonly-prod', project: 'payments' });
    api = createClient(fake);
  });
  afterAll(async () => {
    await fake.close();
  });

  describe('session (server.go auth interceptor)', () => {
    it('answers 401 "no session information" (code 16) when no token is sent', async () => {
      const res = await api.get('/api/v1/applications', { headers: { Authorization: '' } });
      expect(res.status).toBe(401);
      expect(res.data).toEqual({
        error: 'no session information',
        code: 16,
        message: 'no session information',
      });
    });

    it('answers 401 "invalid session: ..." for a token it did not issue', async () => {
      const res = await createClient(fake, 'not-a-jwt').get('/api/v1/applications');
      expect(res.status).toBe(401);
      expect(res.data.code).toBe(16);
      expect(res.data.message).toMatch(/^invalid session: /);
    });

    it('accepts the argocd.token cookie, but a Bearer header wins over it', async () => {
      const cookieOnly = await api.get('/api/v1/session/userinfo', {
        headers: { Authorization: '', Cookie: `argocd.token=${fake.token}` },
      });
      expect(cookieOnly.data).toEqual({ loggedIn: true, username: 'deploybot', iss: 'argocd' });
      const badBearer = await createClient(fake, 'wrong').get('/api/v1/session/userinfo', {
        headers: { Cookie: `argocd.token=${fake.token}` },
      });
      expect(badBearer.status).toBe(401);
    });
  });

  describe('content type (enforceContentTypes wraps the gateway)', () => {
    it('refuses application/json; charset=utf-8 on POST with a plain-text 415', async () => {
      const res = await api.post('/api/v1/applications/payments-api-prod/sync', '{}', {
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        responseType: 'text',
      });
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.data).toBe('Invalid content type\n');
    });

    it('applies to DELETE too: axios sends no Content-Type without data, so terminate must set it', async () => {
      const bare = await api.delete('/api/v1/applications/busy-prod/operation');
      expect(bare.status).toBe(415);
      const explicit = await api.delete('/api/v1/applications/busy-prod/operation', {
        headers: { 'Content-Type': 'application/json' },
      });
      expect(explicit.status).toBe(400);
    });

    it('checks the content type before the session, so a bad type without a token is 415, not 401', async () => {
      const res = await api.post('/api/v1/applications/payments-api-prod/sync', 'x', {
        headers: { Authorization: '', 'Content-Type': 'text/plain' },
      });
      expect(res.status).toBe(415);
    });

    it("accepts axios' default JSON body (Content-Type exactly application/json)", async () => {
      const res = await api.post('/api/v1/applications/payments-api-prod/sync', {
        dryRun: true,
        project: 'payments',
      });
      expect(res.status).toBe(200);
      await api.delete('/api/v1/applications/payments-api-prod/operation', {
        headers: { 'Content-Type': 'application/json' },
        params: { project: 'payments' },
      });
    });
  });

  describe('existence is not leaked (getAppEnforceRBAC)', () => {
    it('answers 403 "permission denied" for a missing app when no project is given', async () => {
      const res = await api.get('/api/v1/applications/does-not-exist');
      expect(res.status).toBe(403);
      expect(res.data).toEqual({ error: 'permission denied', code: 7, message: 'permission denied' });
    });

    it('answers 404 applications.argoproj.io "<name>" not found when the project is given', async () => {
      const res = await api.get('/api/v1/applications/does-not-exist', { params: { project: 'payments' } });
      expect(res.status).toBe(404);
      expect(res.data).toMatchObject({
        code: 5,
        message: 'applications.argoproj.io "does-not-exist" not found',
      });
    });

    it('answers 404 for an app that exists in another project', async () => {
      const res = await api.get('/api/v1/applications/orders-dev', { params: { project: 'payments' } });
      expect(res.status).toBe(404);
      expect(res.data.message).toBe('applications.argoproj.io "orders-dev" not found');
    });

    it('refuses two projects on GET with 400 (the get endpoint accepts zero or one)', async () => {
      const res = await api.get('/api/v1/applications/orders-dev?projects=dev&projects=payments');
      expect(res.status).toBe(400);
      expect(res.data.message).toBe(
        'multiple projects specified - the get endpoint accepts either zero or one project',
      );
    });

    it('drops apps the token may not get from a list instead of answering 403', async () => {
      const scoped = await startFakeArgoCd({
        apps: [
          { name: 'a', project: 'payments' },
          { name: 'b', project: 'secret' },
        ],
        canI: (_r, _a, object) => !object.startsWith('secret/'),
      });
      try {
        const res = await createClient(scoped).get('/api/v1/applications');
        expect(res.status).toBe(200);
        expect(res.data.items.map((a: { metadata: { name: string } }) => a.metadata.name)).toEqual(['a']);
      } finally {
        await scoped.close();
      }
    });

    it('names the RBAC object when the token may get but not sync', async () => {
      const res = await api.post('/api/v1/applications/readonly-prod/sync', { project: 'payments' });
      expect(res.status).toBe(403);
      expect(res.data.message).toMatch(
        /^permission denied: applications, sync, payments\/readonly-prod, sub: deploybot, iat: /,
      );
    });
  });

  describe('operation preconditions (server/application Sync, Rollback, TerminateOperation)', () => {
    it('answers 400 code 9 "another operation is already in progress" for a second sync', async () => {
      const first = await api.post('/api/v1/applications/busy-prod/sync', { project: 'payments' });
      expect(first.status).toBe(200);
      expect(first.data.operation.sync.revision).toMatch(/^[0-9a-f]{40}$/);
      expect(first.data.status.operationState).toBeUndefined();
      const second = await api.post('/api/v1/applications/busy-prod/sync', { project: 'payments' });
      expect(second.status).toBe(400);
      expect(second.data).toMatchObject({ code: 9, message: 'another operation is already in progress' });
    });

    it('refuses a rollback while auto-sync is enabled (400 code 9)', async () => {
      const res = await api.post('/api/v1/applications/orders-dev/rollback', { id: 0, project: 'dev' });
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({
        code: 9,
        message: 'rollback cannot be initiated when auto-sync is enabled',
      });
    });

    it('refuses to sync an auto-sync app to a revision that differs, as a string, from targetRevision', async () => {
      const res = await api.post('/api/v1/applications/orders-dev/sync', {
        revision: SHA_NEW,
        project: 'dev',
      });
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({
        code: 9,
        message: `Cannot sync to ${SHA_NEW}: auto-sync currently set to main`,
      });
      const sameString = await api.post('/api/v1/applications/orders-dev/sync', {
        revision: 'main',
        dryRun: true,
        project: 'dev',
      });
      expect(sameString.status).toBe(200);
    });

    it('lets a dry run through the auto-sync revision check (the server skips it for dryRun)', async () => {
      const dev = await startFakeArgoCd({ apps: [{ name: 'orders-dev', autoSync: true }] });
      try {
        const res = await createClient(dev).post('/api/v1/applications/orders-dev/sync', {
          revision: SHA_NEW,
          dryRun: true,
        });
        expect(res.status).toBe(200);
      } finally {
        await dev.close();
      }
    });

    it('answers 403 "cannot sync: blocked by sync window" inside an active deny window', async () => {
      fake.setSyncWindows('windowed-prod', [{ kind: 'deny', schedule: '* * * * *', duration: '1h' }]);
      const res = await api.post('/api/v1/applications/windowed-prod/sync', { project: 'payments' });
      expect(res.status).toBe(403);
      expect(res.data).toMatchObject({ code: 7, message: 'cannot sync: blocked by sync window' });
      const windows = await api.get('/api/v1/applications/windowed-prod/syncwindows');
      expect(windows.data).toEqual({
        assignedWindows: [{ kind: 'deny', schedule: '* * * * *', duration: '1h', manualSync: false }],
        activeWindows: [{ kind: 'deny', schedule: '* * * * *', duration: '1h', manualSync: false }],
        canSync: false,
      });
    });

    it('blocks a sync outside every allow window, and lets manualSync windows through', async () => {
      // Midnight on 1 January for one minute: inactive on any day the tests run but that one.
      const never = { kind: 'allow' as const, schedule: '0 0 1 1 *', duration: '1m' };
      fake.setSyncWindows('windowed-prod', [never]);
      const blocked = await api.post('/api/v1/applications/windowed-prod/sync', { dryRun: true });
      expect(blocked.status).toBe(403);
      fake.setSyncWindows('windowed-prod', [
        { kind: 'deny', schedule: '* * * * *', duration: '1h', manualSync: true },
      ]);
      const allowed = await api.post('/api/v1/applications/windowed-prod/sync', { dryRun: true });
      expect(allowed.status).toBe(200);
    });

    it('answers 400 code 3 for a rollback to a history id the app does not have', async () => {
      const res = await api.post('/api/v1/applications/idle-prod/rollback', { id: 42, project: 'payments' });
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({
        code: 3,
        message: 'application argocd/idle-prod does not have deployment with id 42',
      });
    });

    it('answers 400 code 3 when terminating with no operation in progress', async () => {
      const res = await api.delete('/api/v1/applications/idle-prod/operation', {
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({
        code: 3,
        message: 'Unable to terminate operation. No operation is in progress',
      });
    });
  });

  describe('request decoding (grpc-gateway with encoding/json)', () => {
    it('refuses syncOptions sent as an array (the type is an object {items: []})', async () => {
      const res = await api.post('/api/v1/applications/idle-prod/sync', { syncOptions: ['PruneLast=true'] });
      expect(res.status).toBe(400);
      expect(res.data.code).toBe(3);
      expect(res.data.message).toContain('$.syncOptions');
    });

    it('refuses an int64 rollback id sent as a string (the gateway reads int64 as a JSON number)', async () => {
      const res = await api.post('/api/v1/applications/idle-prod/rollback', { id: '0' });
      expect(res.status).toBe(400);
      expect(res.data.message).toContain('$.id');
    });

    it('refuses a body field that is not in the swagger and records it, although the real server ignores it', async () => {
      const res = await api.post('/api/v1/applications/idle-prod/sync', {
        revison: SHA_NEW,
        project: 'payments',
      });
      expect(res.status).toBe(400);
      expect(res.data.message).toContain('$.revison');
      expect(fake.requests.at(-1)?.contractViolation).toContain('$.revison');
    });

    it('accepts the hook strategy with force directly under hook (Go inlines SyncStrategyApply)', async () => {
      const res = await api.post('/api/v1/applications/idle-prod/sync', {
        strategy: { hook: { force: false } },
        dryRun: true,
      });
      expect(res.status).toBe(200);
      await api.delete('/api/v1/applications/idle-prod/operation', {
        headers: { 'Content-Type': 'application/json' },
      });
    });

    it("refuses axios' default array params (projects[]=a), a name the gateway would silently drop", async () => {
      const res = await api.get('/api/v1/applications', { params: { projects: ['payments'] } });
      expect(res.status).toBe(400);
      expect(fake.requests.at(-1)?.contractViolation).toContain('projects[]');
      const repeated = await api.get('/api/v1/applications', {
        params: { projects: ['payments'] },
        paramsSerializer: { indexes: null },
      });
      expect(repeated.status).toBe(200);
      expect(
        repeated.data.items.every((a: { spec: { project: string } }) => a.spec.project === 'payments'),
      ).toBe(true);
    });

    it('refuses an unknown query parameter and records it as a contract violation', async () => {
      const res = await api.get('/api/v1/applications/idle-prod', { params: { appnamespace: 'argocd' } });
      expect(res.status).toBe(400);
      expect(fake.requests.at(-1)?.contractViolation).toContain('appnamespace');
    });
  });

  describe('routes', () => {
    it('answers 404 and records unknownRoute for a path that is not in the swagger', async () => {
      const res = await api.get('/api/v1/applications/idle-prod/deploy');
      expect(res.status).toBe(404);
      expect(res.data.message).toContain('GET /api/v1/applications/idle-prod/deploy');
      expect(fake.requests.at(-1)).toMatchObject({ unknownRoute: true, status: 404 });
    });

    it('answers 404 for a real path with a method the swagger does not list', async () => {
      const res = await api.put('/api/v1/applications/idle-prod/sync', {});
      expect(res.status).toBe(404);
      expect(fake.requests.at(-1)?.unknownRoute).toBe(true);
    });

    it('answers 501 and records unknownRoute for a swagger operation the fake does not serve', async () => {
      const res = await api.get('/api/v1/projects');
      expect(res.status).toBe(501);
      expect(fake.requests.at(-1)?.unknownRoute).toBe(true);
    });

    it('routes can-i with a subresource containing slashes ({subresource=**})', async () => {
      const res = await api.get('/api/v1/account/can-i/applications/sync/payments/payments-api-prod');
      expect(res.data).toEqual({ value: 'yes' });
      const no = await api.get('/api/v1/account/can-i/applications/sync/payments/readonly-prod');
      expect(no.data).toEqual({ value: 'no' });
    });

    it('writes history ids as JSON numbers', async () => {
      const res = await api.get('/api/v1/applications/idle-prod');
      expect(res.data.status.history.map((h: { id: unknown }) => h.id)).toEqual([0, 1]);
    });
  });
});
