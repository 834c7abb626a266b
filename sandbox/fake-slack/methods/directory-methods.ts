import { fail, ok } from '../api-result.js';
import type { FakeSlackConfig } from '../config.js';
import type { FakeSlackUser, JsonObject } from '../types.js';
import { booleanArg, type MethodHandler, stringArg } from './method-context.js';

/** The user object of users.info / users.lookupByEmail, trimmed to the fields bots read. */
function toSlackUser(user: FakeSlackUser, config: FakeSlackConfig): JsonObject {
  const isOurBot = user.id === config.botUserId;
  return {
    id: user.id,
    team_id: config.teamId,
    name: user.name,
    deleted: user.deleted === true,
    color: '9f69e7',
    real_name: user.realName,
    tz: 'Europe/Berlin',
    tz_label: 'Central European Time',
    tz_offset: 3600,
    profile: {
      real_name: user.realName,
      display_name: user.name,
      email: user.email === '' ? undefined : user.email,
      bot_id: isOurBot ? config.botId : undefined,
      team: config.teamId,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: user.isRestricted === true,
    is_ultra_restricted: false,
    is_bot: user.isBot === true,
    is_app_user: false,
    updated: 1767225600,
  };
}

const authTest: MethodHandler = (_args, ctx) =>
  ok({
    url: `${ctx.baseUrl()}/`,
    team: ctx.config.teamName,
    user: ctx.config.botName,
    team_id: ctx.config.teamId,
    user_id: ctx.config.botUserId,
    bot_id: ctx.config.botId,
    is_enterprise_install: false,
  });

const usersInfo: MethodHandler = (args, ctx) => {
  const user = ctx.config.users.find((u) => u.id === stringArg(args, 'user'));
  return user ? ok({ user: toSlackUser(user, ctx.config) }) : fail('user_not_found');
};

const usersLookupByEmail: MethodHandler = (args, ctx) => {
  const email = (stringArg(args, 'email') ?? '').toLowerCase();
  const user = ctx.config.users.find((u) => u.email !== '' && u.email.toLowerCase() === email && !u.deleted);
  return user ? ok({ user: toSlackUser(user, ctx.config) }) : fail('users_not_found');
};

const usergroupsUsersList: MethodHandler = (args, ctx) => {
  const group = ctx.config.usergroups.find((g) => g.id === stringArg(args, 'usergroup'));
  if (!group || (group.disabled && !booleanArg(args, 'include_disabled'))) return fail('no_such_subteam');
  return ok({ users: [...group.users] });
};

export const directoryMethods: Record<string, MethodHandler> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'users.lookupByEmail': usersLookupByEmail,
  'usergroups.users.list': usergroupsUsersList,
};
