import { createHash } from 'node:crypto';
import type { FakeState } from '../fake-state.js';
import { nodeId } from './urls.js';

function userId(login: string): number {
  return 1_000_000 + Number.parseInt(createHash('sha1').update(login).digest('hex').slice(0, 7), 16);
}

function userType(state: FakeState, login: string): 'User' | 'Bot' {
  if (login === state.actor.login) return state.actor.type;
  return login.endsWith('[bot]') ? 'Bot' : 'User';
}

/** The `simple-user` shape GitHub embeds wherever an account appears. */
export function serializeUser(state: FakeState, login: string): Record<string, unknown> {
  const api = `${state.baseUrl}/users/${encodeURIComponent(login)}`;
  const id = userId(login);
  return {
    login,
    id,
    node_id: nodeId('User', id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${state.htmlUrl}/${encodeURIComponent(login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: userType(state, login),
    user_view_type: 'public',
    site_admin: false,
  };
}
