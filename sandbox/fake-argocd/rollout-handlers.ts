import { ApiError, GrpcCode } from './api-error.js';
import { getAppEnforceRbac } from './app-access.js';
import { firstValue, type Handler, stringField } from './handler-context.js';
import { buildManagedResources } from './resource-views.js';

/**
 * GET …/resource (ApplicationService_GetResource): getAppLiveResource with the `get` RBAC action; the node
 * is looked up in the app's tree by group, kind, namespace and name (the server's FindNode), and the live
 * object comes back as a JSON string in `manifest`.
 */
export const getResource: Handler = ({ world, canI, rollouts }, ctx) => {
  const record = getAppEnforceRbac(world, canI, 'get', {
    name: ctx.params.name ?? '',
    appNamespace: firstValue(ctx.query, 'appNamespace'),
    project: firstValue(ctx.query, 'project'),
  });
  const group = firstValue(ctx.query, 'group') ?? '';
  const kind = firstValue(ctx.query, 'kind') ?? '';
  const namespace = firstValue(ctx.query, 'namespace') ?? '';
  const resourceName = firstValue(ctx.query, 'resourceName') ?? '';
  const notFound = () =>
    new ApiError(
      GrpcCode.InvalidArgument,
      `${kind} ${group} ${resourceName} not found as part of application ${record.app.metadata.name}`,
    );
  if (group === 'argoproj.io' && kind === 'Rollout' && rollouts?.has(record)) {
    const node = rollouts
      .treeNodes(record)
      .find((n) => n.kind === 'Rollout' && n.name === resourceName && n.namespace === namespace);
    if (!node) throw notFound();
    return { manifest: JSON.stringify(rollouts.live(record, resourceName)) };
  }
  if (group === 'apps' && kind === 'Deployment') {
    const item = buildManagedResources(record, { namespace, name: resourceName, group, kind }).find(
      (i) => i.liveState !== 'null',
    );
    if (item) return { manifest: item.liveState };
  }
  throw notFound();
};

/**
 * POST …/resource/actions/v2 (ApplicationService_RunResourceActionV2): the RBAC action is
 * `action/<group>/<kind>/<action>` on the app (so a project's policy can deny it: 403), then the node
 * must be part of the app, then the kind's Lua action runs. The answer is an empty ApplicationResponse.
 */
export const runResourceActionV2: Handler = ({ world, canI, rollouts }, ctx) => {
  const { body } = ctx;
  const group = stringField(body, 'group') ?? '';
  const kind = stringField(body, 'kind') ?? '';
  const action = stringField(body, 'action') ?? '';
  const record = getAppEnforceRbac(world, canI, `action/${group}/${kind}/${action}`, {
    name: ctx.params.name ?? '',
    appNamespace: stringField(body, 'appNamespace'),
    project: stringField(body, 'project'),
  });
  const target = {
    group,
    kind,
    namespace: stringField(body, 'namespace'),
    resourceName: stringField(body, 'resourceName'),
  };
  if (!rollouts?.has(record)) {
    throw new ApiError(
      GrpcCode.InvalidArgument,
      `${kind} ${group} ${target.resourceName ?? ''} not found as part of application ${record.app.metadata.name}`,
    );
  }
  rollouts.runAction(record, target, action);
  return {};
};
